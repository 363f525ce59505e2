import { AppError } from '../../shared/errors';
import type { Services } from '../services';
import type { DomainHandlers, EmitEvent } from './types';

export function experimentHandlers(services: Services, emit: EmitEvent): DomainHandlers<'experiments'> {
  return {
    'experiments:list': async () => services.experiments.list(),
    'experiments:get': async ({ id }) => {
      const experiment = services.experiments.get(id);
      if (!experiment) throw new AppError('not_found', 'That experiment no longer exists. It may have been deleted.');
      return experiment;
    },
    'experiments:save': async (input) => {
      const saved = services.experiments.save(input);
      emit('experiments:changed', { id: saved.id });
      return saved;
    },
    'experiments:delete': async ({ id }) => {
      const deleted = services.experiments.delete(id);
      if (deleted) emit('experiments:changed', { id });
      return { deleted };
    },
  };
}
