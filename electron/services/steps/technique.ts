/** A technique from the library: system framing and/or a wrapper around the request (shared/steps/apply.ts). */
import { AppError } from '../../../shared/errors';
import { applyTechniqueStep } from '../../../shared/steps/apply';
import type { TechniqueStep } from '../../../shared/steps/kinds/technique';
import { findTechnique } from '../../../shared/techniques';
import { applyContext } from './apply';
import type { StepRunner } from './types';

export const techniqueStep: StepRunner<TechniqueStep> = {
  kind: 'technique',
  label: (config, env) => findTechnique(env.techniques, config.techniqueId)?.name ?? config.techniqueId,
  async run(config, ctx) {
    const outcome = applyTechniqueStep(config, ctx.request, applyContext(ctx.env));
    if (!outcome.ok) throw new AppError('bad_input', outcome.problem);
    ctx.request = outcome.request;
    ctx.setDetail({ system: outcome.request.system, prompt: outcome.request.messages.at(-1)?.text ?? '' });
    const technique = findTechnique(ctx.env.techniques, config.techniqueId);
    return { status: 'done', ...(technique?.summary ? { summary: technique.summary } : {}) };
  },
};
