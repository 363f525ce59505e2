import { AppError } from '../../shared/errors';
import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function runHandlers(services: Services): DomainHandlers<'runs'> {
  return {
    'runs:get': async ({ id }) => {
      const run = services.runs.get(id);
      if (!run) throw new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
      return run;
    },
  };
}
