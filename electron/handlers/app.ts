import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function appHandlers(services: Services): DomainHandlers<'app'> {
  return {
    'app:info': async () => ({ ...services.info, schemaVersion: services.schemaVersion() }),
    'app:debug-get': async () => services.debug.state(),
    'app:debug-save': async (settings) => services.debug.save(settings),
    'app:reveal-logs': async () => ({ shown: services.debug.revealLogs() }),
  };
}
