/**
 * The handler table: one function per contract channel. No `electron` import, so the same
 * table serves ipcMain in the app and the Playwright bridge in the end-to-end tests.
 */
import { appHandlers } from './handlers/app';
import { experimentHandlers } from './handlers/experiments';
import { runHandlers } from './handlers/runs';
import type { EmitEvent, Handlers } from './handlers/types';
import type { Services } from './services';

export type { EmitEvent, Handlers } from './handlers/types';

export function createHandlers(services: Services, emit: EmitEvent): Handlers {
  return {
    ...appHandlers(services),
    ...experimentHandlers(services, emit),
    ...runHandlers(services),
  };
}
