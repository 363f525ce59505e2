import { AppError } from '../../shared/errors';
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
    'moderation:runPipelines': async ({ runId }) => services.pipelines.ofRun(runId),
  };
}
