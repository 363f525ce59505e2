/** A technique from the library: system framing and/or a wrapper around the request. */
import { AppError } from '../../../shared/errors';
import type { TechniqueStep } from '../../../shared/steps/kinds/technique';
import { findTechnique } from '../../../shared/techniques';
import { applyTechniqueToRequest } from './apply';
import type { StepRunner } from './types';

export const techniqueStep: StepRunner<TechniqueStep> = {
  kind: 'technique',
  label: (config, env) => findTechnique(env.techniques, config.techniqueId)?.name ?? config.techniqueId,
  async run(config, ctx) {
    const technique = findTechnique(ctx.env.techniques, config.techniqueId);
    if (!technique) {
      throw new AppError('bad_input', `The technique “${config.techniqueId}” is no longer in your library. Pick another technique for this step.`);
    }
    const next = applyTechniqueToRequest(technique, ctx.request, ctx.env.variables);
    ctx.request = next;
    ctx.setDetail({ system: next.system, prompt: next.messages.at(-1)?.text ?? '' });
    return { status: 'done', summary: technique.summary || undefined };
  },
};
