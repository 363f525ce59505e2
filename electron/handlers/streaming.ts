import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function streamingHandlers(services: Services): DomainHandlers<'stream'> {
  return {
    'stream:pace': async ({ lagMs }) => ({ intervalMs: services.streamPace.report(lagMs) }),
  };
}
