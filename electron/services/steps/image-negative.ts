/** Negative prompt: phrases the image model is steered away from (negative text / negative weight). */
import { joinNegatives } from '../../../shared/images/request';
import type { ImageNegativeStep } from '../../../shared/steps/kinds/image-negative';
import { requireImageArm } from './image-prompt';
import type { StepRunner } from './types';

export const imageNegativeStep: StepRunner<ImageNegativeStep> = {
  kind: 'image-negative',
  label: (config) => `Negative prompt (${config.phrases.length} phrase${config.phrases.length === 1 ? '' : 's'})`,
  async run(config, ctx) {
    const image = requireImageArm(ctx.request, 'Negative prompt');
    const negativeText = joinNegatives(image.negativeText, config.phrases).slice(0, 1_000);
    ctx.request = { ...ctx.request, image: { ...image, negativeText } };
    ctx.setDetail({ negativeText });
    return { status: 'done' };
  },
};
