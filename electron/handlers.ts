/**
 * The handler table: one function per contract channel. No `electron` import, so the same
 * table serves ipcMain in the app and the Playwright bridge in the end-to-end tests.
 */
import { appHandlers } from './handlers/app';
import { compareHandlers, techniqueHandlers } from './handlers/compare';
import { experimentHandlers } from './handlers/experiments';
import { collectionHandlers, createTransfers, dataHandlers, exportHandlers, historyHandlers, importHandlers, packHandlers, transferHandlers } from './handlers/history';
import { labHandlers } from './handlers/labs';
import { modelHandlers } from './handlers/models';
import { runHandlers } from './handlers/runs';
import { bedrockHandlers, settingsHandlers } from './handlers/settings';
import { scoreHandlers } from './handlers/scores';
import { streamingHandlers } from './handlers/streaming';
import type { EmitEvent, Handlers } from './handlers/types';
import type { Services } from './services';

export type { EmitEvent, Handlers } from './handlers/types';

export function createHandlers(services: Services, emit: EmitEvent): Handlers {
  const transfers = createTransfers(emit);
  return {
    ...appHandlers(services),
    ...settingsHandlers(services, emit),
    ...bedrockHandlers(services),
    ...modelHandlers(services),
    ...experimentHandlers(services, emit),
    ...labHandlers(),
    ...runHandlers(services),
    ...scoreHandlers(services, emit),
    ...compareHandlers(services, emit),
    ...techniqueHandlers(services),
    ...streamingHandlers(services),
    ...historyHandlers(services, emit),
    ...collectionHandlers(services),
    ...exportHandlers(services, transfers),
    ...importHandlers(services, emit, transfers),
    ...packHandlers(services, transfers),
    ...transferHandlers(transfers),
    ...dataHandlers(services, emit),
  };
}
