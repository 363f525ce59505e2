/** "Specify what is left open": the details a vague request leaves to the model's defaults. */
import type { SpecifyStep } from '../../../shared/steps/kinds/specify';
import { applySpecifyToRequest } from './apply';
import type { StepRunner } from './types';

export const specifyStep: StepRunner<SpecifyStep> = {
  kind: 'specify',
  label: () => 'Specify what is left open',
  async run(config, ctx) {
    const next = applySpecifyToRequest(config.details, ctx.request, ctx.env.variables);
    ctx.request = next;
    ctx.setDetail({ prompt: next.messages.at(-1)?.text ?? '' });
    return { status: 'done' };
  },
};
