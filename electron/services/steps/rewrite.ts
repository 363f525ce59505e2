/**
 * "Rewrite with a model": what Suggest did once, as a step that runs each time the arm runs, so
 * the rewrite always follows the baseline. The rewriter sees the request (the last user turn)
 * and answers with the rewrite only; quotes, fences and labels are cleaned off.
 */
import { AppError } from '../../../shared/errors';
import type { RewriteStep } from '../../../shared/steps/kinds/rewrite';
import { cleanRewrite, SUGGEST_SYSTEM_PROMPT } from '../../../shared/techniques';
import { lastUserText, withLastUserText } from './request';
import type { StepRunner } from './types';

import type { RewriteDetail } from '../../../shared/steps/details';

export const rewriteStep: StepRunner<RewriteStep> = {
  kind: 'rewrite',
  label: (config) => (config.instruction?.trim() ? 'Rewrite with a model (own instruction)' : 'Rewrite with a model'),
  async run(config, ctx) {
    const modelId = config.modelId ?? ctx.env.defaultModelId ?? ctx.request.modelId;
    const original = lastUserText(ctx.request);
    if (original.trim() === '') return { status: 'skipped', summary: 'Nothing to rewrite: the request is empty' };
    const instruction = config.instruction?.trim() || SUGGEST_SYSTEM_PROMPT;
    const result = await ctx.call({
      modelId,
      system: instruction,
      messages: [{ role: 'user', text: `Rewrite this prompt:\n\n${original}` }],
      inference: { temperature: 0.2, maxTokens: 1024 },
    });
    const rewrite = cleanRewrite(result.text);
    if (rewrite === '') {
      throw new AppError('bedrock', `${modelId} returned an empty rewrite. Run the arm again, or pick another model for this rewrite step.`);
    }
    ctx.request = withLastUserText(ctx.request, rewrite);
    const detail: RewriteDetail = { modelId, original, rewrite, instruction: config.instruction?.trim() ?? '' };
    ctx.setDetail(detail);
    return { status: 'done', summary: rewrite === original ? 'The model kept the request as it was' : 'Request rewritten' };
  },
};
