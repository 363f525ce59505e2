/** "Specify what is left open": the details a vague request leaves to the model's defaults (shared/steps/apply.ts). */
import { AppError } from '../../../shared/errors';
import { applySpecifyStep } from '../../../shared/steps/apply';
import type { SpecifyStep } from '../../../shared/steps/kinds/specify';
import { applyContext } from './apply';
import type { StepRunner } from './types';

export const specifyStep: StepRunner<SpecifyStep> = {
  kind: 'specify',
  label: () => 'Specify what is left open',
  async run(config, ctx) {
    const outcome = applySpecifyStep(config, ctx.request, applyContext(ctx.env));
    if (!outcome.ok) throw new AppError('bad_input', outcome.problem);
    ctx.request = outcome.request;
    ctx.setDetail({ prompt: outcome.request.messages.at(-1)?.text ?? '' });
    return { status: 'done', summary: outcome.summary };
  },
};
