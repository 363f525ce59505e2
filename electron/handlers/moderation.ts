import { AppError } from '../../shared/errors';
import { pipelineUses } from '../../shared/moderation/pipeline';
import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function moderationHandlers(services: Services): DomainHandlers<'moderation'> {
  return {
    'moderation:listPipelines': async () => services.pipelines.list(),
    'moderation:savePipeline': async (request) => {
      if (request.id && !services.pipelines.get(request.id)) throw new AppError('not_found', 'That pipeline was deleted. Save it under a new name to keep it.');
      return services.pipelines.save(request);
    },
    'moderation:deletePipeline': async ({ id }) => ({ deleted: services.pipelines.delete(id) }),
    'moderation:runPipelines': async ({ runId }) => {
      const recorded = services.pipelines.ofRun(runId);
      if (recorded.length > 0) return recorded;
      // A run with no record (imported, or from before runs recorded them): its configuration snapshot still names them.
      const run = services.runs.get(runId);
      if (!run) return [];
      return pipelineUses(run.config.arms.map((arm, index) => ({ index, steps: arm.mode === 'baseline' ? [] : arm.steps })));
    },
  };
}
