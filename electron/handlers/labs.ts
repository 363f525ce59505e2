import { labSummaries } from '../../shared/labs';
import type { DomainHandlers } from './types';

/** Guided labs are static (resources/labs.json): no service, no database. */
export function labHandlers(): DomainHandlers<'labs'> {
  return {
    'labs:list': async () => labSummaries(),
  };
}
