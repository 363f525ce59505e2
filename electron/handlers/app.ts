import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function appHandlers(services: Services): DomainHandlers<'app'> {
  return {
    'app:info': async () => ({ ...services.info, schemaVersion: services.schemaVersion() }),
  };
}
