import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function principleHandlers(services: Services): DomainHandlers<'principles'> {
  return {
    'principles:list': async () => services.principles.list(),
    'principles:save': async (input) => services.principles.save(input),
    'principles:delete': async ({ id }) => ({ deleted: services.principles.delete(id) }),
  };
}
