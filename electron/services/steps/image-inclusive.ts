/** Inclusive additions to an image prompt: who may be pictured. */
import { addInclusive } from '../../../shared/images/prompt';
import type { ImageInclusiveStep } from '../../../shared/steps/kinds/image-inclusive';
import { imagePromptOf, requireImageArm, withImagePrompt } from './image-prompt';
import type { StepRunner } from './types';

export const imageInclusiveStep: StepRunner<ImageInclusiveStep> = {
  kind: 'image-inclusive',
  label: () => 'Inclusive prompt',
  async run(config, ctx) {
    requireImageArm(ctx.request, 'Inclusive prompt');
    const prompt = addInclusive(imagePromptOf(ctx.request), config.addition);
    ctx.request = withImagePrompt(ctx.request, prompt);
    ctx.setDetail({ prompt });
    return { status: 'done' };
  },
};
