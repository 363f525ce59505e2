import { AppError } from '../../shared/errors';
import type { RunTarget, TransferProgress } from '../../shared/contract/history';
import type { TransferControl } from '../services/export';
import type { Services } from '../services';
import { safeFileName } from '../services/dialogs';
import { EXPORT_EXTENSIONS } from '../services/export';
import { PACK_EXTENSION } from '../services/packs';
import type { DomainHandlers, EmitEvent } from './types';

const IMPORT_FILTERS = [
  { name: 'Parallax packs and exports', extensions: [PACK_EXTENSION, 'json'] },
  { name: 'All files', extensions: ['*'] },
];

function notFound(): AppError {
  return new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
}

/** The run ids of a target, refusing an empty one with a message that says what to do. */
function targetRuns(services: Services, target: RunTarget): string[] {
  const ids = services.history.resolveTarget(target);
  if (ids.length === 0) {
    throw new AppError(
      'bad_input',
      'collectionId' in target ? 'That collection has no runs to export yet. Add runs to it first.' : 'None of those runs are in your history any more.',
    );
  }
  return ids;
}

function targetTitle(services: Services, target: RunTarget, ids: string[]): string {
  if ('collectionId' in target) return services.history.collection(target.collectionId)?.name ?? 'Collection';
  if ('labId' in target) return `Lab ${target.labId}`;
  if (ids.length === 1) return services.runs.get(ids[0]!)?.title ?? 'Run';
  return `${ids.length} runs`;
}

export function historyHandlers(services: Services, emit: EmitEvent): DomainHandlers<'history'> {
  const { history } = services;
  return {
    'history:list': async (request) => history.list(request),
    'history:facets': async () => history.facets(),
    'history:get': async ({ id }) => {
      const run = services.runs.get(id);
      const meta = history.meta(id);
      if (!run || !meta) throw notFound();
      return { run, meta, images: services.images.refsForRun(id) };
    },
    'history:star': async ({ ids, starred }) => ({ changed: history.star(ids, starred) }),
    'history:tag': async ({ ids, add, remove }) => ({ changed: history.tag(ids, add, remove) }),
    'history:note': async ({ id, note }) => {
      const changed = history.note(id, note);
      if (changed === 0) throw notFound();
      // The note is also the one the rating panel shows (scores:get returns it).
      emit('scores:changed', { runId: id });
      return { changed };
    },
    'history:delete': async ({ ids }) => ({ changed: history.trash(ids) }),
    'history:restore': async ({ ids }) => ({ changed: history.restore(ids) }),
    'history:purge': async ({ ids, all }) => {
      if (!all && !ids) throw new AppError('invalid_request', 'Say which runs to delete for good, or all of the trash.');
      const changed = history.purge(all ? 'all' : ids!);
      if (changed > 0) services.images.collectUnused();
      if (changed > 0) emit('history:changed', { reason: 'purge' });
      return { changed };
    },
  };
}

export function collectionHandlers(services: Services): DomainHandlers<'collections'> {
  const { history } = services;
  const missing = () => new AppError('not_found', 'That collection no longer exists.');
  return {
    'collections:list': async () => history.collections(),
    'collections:create': async ({ name, description, runIds }) => history.createCollection(name, description, runIds),
    'collections:update': async ({ id, name, description }) => history.updateCollection(id, name, description) ?? (() => { throw missing(); })(),
    'collections:delete': async ({ id }) => ({ deleted: history.deleteCollection(id) }),
    'collections:add': async ({ id, runIds }) => {
      if (!history.collection(id)) throw missing();
      return { changed: history.addToCollection(id, runIds) };
    },
    'collections:remove': async ({ id, runIds }) => ({ changed: history.removeFromCollection(id, runIds) }),
  };
}

/**
 * Long exports and imports by operation id: each reports `transfer:progress` (at most ~10 times a
 * second) and stops when `transfer:cancel` names it.
 */
export function createTransfers(emit: EmitEvent) {
  const running = new Map<string, AbortController>();
  return {
    async run<T>(operationId: string | undefined, kind: TransferProgress['kind'], unit: TransferProgress['unit'], work: (control: TransferControl) => Promise<T>): Promise<T> {
      const id = operationId ?? `${kind}-${Math.random().toString(36).slice(2)}`;
      const controller = new AbortController();
      running.set(id, controller);
      let last = 0;
      try {
        return await work({
          signal: controller.signal,
          onProgress(done, total) {
            const at = Date.now();
            if (done < total && at - last < 100) return;
            last = at;
            if (operationId) emit('transfer:progress', { operationId, kind, done, total, unit });
          },
        });
      } finally {
        running.delete(id);
      }
    },
    cancel(operationId: string): boolean {
      const controller = running.get(operationId);
      controller?.abort();
      return controller !== undefined;
    },
  };
}
export type Transfers = ReturnType<typeof createTransfers>;

export function transferHandlers(transfers: Transfers): DomainHandlers<'transfer'> {
  return {
    'transfer:cancel': async ({ operationId }) => ({ cancelled: transfers.cancel(operationId) }),
  };
}

export function exportHandlers(services: Services, transfers: Transfers): DomainHandlers<'export'> {
  return {
    'export:runs': async ({ target, format, operationId, wordDiffs }) => {
      const ids = targetRuns(services, target);
      const title = targetTitle(services, target, ids);
      const { extension, name } = EXPORT_EXTENSIONS[format];
      const path = await services.dialogs.chooseSaveFile({
        title: `Export ${ids.length === 1 ? 'run' : `${ids.length} runs`} as ${name}`,
        defaultName: safeFileName(title, extension),
        filters: [{ name, extensions: [extension] }],
      });
      if (path === null) return { status: 'cancelled' };
      const collectionIds = 'collectionId' in target ? [target.collectionId] : [];
      const runs = await transfers.run(operationId, 'export', 'runs', (control) =>
        services.exporter.writeStream(ids, format, path, title, { collectionIds, ...(wordDiffs !== undefined ? { diffs: wordDiffs } : {}) }, control),
      );
      return { status: 'done', path, runs };
    },
  };
}

export function importHandlers(services: Services, emit: EmitEvent, transfers: Transfers): DomainHandlers<'import'> {
  return {
    'import:file': async ({ operationId }) => {
      const path = await services.dialogs.chooseOpenFile({ title: 'Import runs or a workshop pack', filters: IMPORT_FILTERS });
      if (path === null) return { status: 'cancelled' };
      const result = await transfers.run(operationId, 'import', 'bytes', (control) => services.exporter.importStream(path, control));
      const pack = result.pack ? (services.history.packs().find((p) => p.id === result.pack!.id) ?? null) : null;
      if (result.report.imported > 0) emit('history:changed', { reason: 'import' });
      // A workshop pack's corpora: caches reload, and the Corpora screen shows them without a restart.
      for (const corpusId of result.report.corpusIds ?? []) {
        services.rag.touched(corpusId);
        emit('rag:changed', { corpusId });
      }
      return { status: 'done', path, ...result.report, pack };
    },
  };
}

export function packHandlers(services: Services, transfers: Transfers): DomainHandlers<'packs'> {
  return {
    'packs:export': async ({ target, title, author, description, operationId }) => {
      const ids = targetRuns(services, target);
      const path = await services.dialogs.chooseSaveFile({
        title: `Save workshop pack (${ids.length} run${ids.length === 1 ? '' : 's'})`,
        defaultName: safeFileName(title, PACK_EXTENSION),
        filters: [{ name: 'Parallax workshop pack', extensions: [PACK_EXTENSION] }],
      });
      if (path === null) return { status: 'cancelled' };
      const runs = await transfers.run(operationId, 'pack', 'runs', (control) => services.packs.writeStream(path, ids, { title, author, description }, control));
      return { status: 'done', path, runs };
    },
    'packs:list': async () => services.history.packs(),
  };
}

export function dataHandlers(services: Services, emit: EmitEvent): DomainHandlers<'data'> {
  // Long store jobs (run off the main thread) report progress to the window.
  services.jobs.subscribe((progress) => emit('app:progress', progress));
  return {
    'data:stats': async () => services.data.stats(),
    'data:backup': async () => {
      const stamp = new Date(services.now()).toISOString().slice(0, 10);
      const path = await services.dialogs.chooseSaveFile({
        title: 'Back up your Parallax data',
        defaultName: `parallax-backup-${stamp}.db`,
        filters: [{ name: 'Parallax backup', extensions: ['db'] }],
      });
      if (path === null) return { status: 'cancelled' };
      if (path === services.info.dbPath) throw new AppError('bad_input', 'Choose a different file: that is the live database itself.');
      return { status: 'done', path, bytes: await services.data.backup(path) };
    },
    'data:restore': async () => {
      const path = await services.dialogs.chooseOpenFile({
        title: 'Restore from a backup',
        filters: [{ name: 'Parallax backup', extensions: ['db'] }, { name: 'All files', extensions: ['*'] }],
      });
      if (path === null) return { status: 'cancelled' };
      if (path === services.info.dbPath) throw new AppError('bad_input', 'That is the live database; choose a backup file.');
      const info = await services.data.stageRestore(path);
      emit('history:changed', { reason: 'restore' });
      return { status: 'done', path, runs: info.runs, schemaVersion: info.schemaVersion };
    },
    'data:cancel-restore': async () => ({ cancelled: services.data.cancelRestore() }),
    'data:check': async () => services.data.check(),
    'data:rebuild-search': async () => ({ documents: await services.data.rebuildSearch() }),
  };
}
