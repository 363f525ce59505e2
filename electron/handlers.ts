/**
 * The handler table: one function per contract channel. No `electron` import, so the same
 * table serves ipcMain in the app and the Playwright bridge in the end-to-end tests.
 */
import { appHandlers } from './handlers/app';
import { batchHandlers, datasetHandlers } from './handlers/batch';
import { compareHandlers, techniqueHandlers } from './handlers/compare';
import { experimentHandlers } from './handlers/experiments';
import { collectionHandlers, createTransfers, dataHandlers, exportHandlers, historyHandlers, importHandlers, packHandlers, transferHandlers } from './handlers/history';
import { imageHandlers } from './handlers/images';
import { labHandlers } from './handlers/labs';
import { modelHandlers } from './handlers/models';
import { principleHandlers } from './handlers/principles';
import { ragHandlers } from './handlers/rag';
import { moderationHandlers } from './handlers/moderation';
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
    ...principleHandlers(services),
    ...streamingHandlers(services),
    ...historyHandlers(services, emit),
    ...collectionHandlers(services),
    ...exportHandlers(services, transfers),
    ...importHandlers(services, emit, transfers),
    ...packHandlers(services, transfers),
    ...transferHandlers(transfers),
    ...dataHandlers(services, emit),
    ...ragHandlers(services, emit),
    ...datasetHandlers(services),
    ...batchHandlers(services, emit),
    ...imageHandlers(services),
    ...moderationHandlers(services),
  };
}
