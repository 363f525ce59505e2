import { AppError } from '../../shared/errors';
import type { Services } from '../services';
import { suggestMitigation } from '../services/runner';
import type { DomainHandlers, EmitEvent } from './types';

export function compareHandlers(services: Services, emit: EmitEvent): DomainHandlers<'compare'> {
  return {
    'compare:run': async (request) => {
      // Checked before the runner writes anything: a stale id is "not found", not a foreign-key failure.
      if (request.experimentId !== null && !services.experiments.get(request.experimentId)) {
        throw new AppError('not_found', 'That experiment no longer exists; it may have been deleted. Nothing was run or saved. Open another experiment, or run this one unsaved.');
      }
      return services.runner.start(request, emit);
    },
    'compare:cancel': async ({ runId }) => ({ cancelled: services.runner.cancel(runId) }),
    'compare:rerun-arm': async ({ runId, armIndex }) => services.runner.rerunArm(runId, armIndex, emit),
    'compare:answer': async ({ runId, armIndex, stepIndex, answer }) => ({ accepted: services.runner.answer(runId, armIndex, stepIndex, answer) }),
    'compare:suggest': async ({ prompt, modelId }) =>
      suggestMitigation(services.suggestModel, prompt, modelId ?? services.defaultSuggestModel()),
  };
}

export function techniqueHandlers(services: Services): DomainHandlers<'techniques'> {
  return {
    'techniques:list': async () => services.techniques.list(),
    'techniques:save': async (input) => {
      const saved = services.techniques.save(input);
      if (!saved) throw new AppError('conflict', 'Techniques shipped with Parallax cannot be changed. Save a copy under a new name.');
      return saved;
    },
    'techniques:delete': async ({ id }) => ({ deleted: services.techniques.delete(id) }),
  };
}
