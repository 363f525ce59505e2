import type { StateCreator } from 'zustand';
import type {
  ExportFormat,
  HistoryCursor,
  HistoryFacets,
  HistoryRun,
  HistorySort,
  ImportReport,
  RunSummary,
  RunTarget,
  TransferProgress,
  ValidHistoryFilter,
} from '../../shared/contract/history';
import { api, ApiError, errorMessage } from '../lib/api';
import { HistoryRows, type MissingPage } from './history-rows';

export type FilterState = Omit<ValidHistoryFilter, 'query'>;

const PAGE = 80;

export const EMPTY_FILTER: FilterState = {
  statuses: [],
  models: [],
  techniques: [],
  labs: [],
  tags: [],
  collectionId: null,
  packId: null,
  starred: false,
  from: null,
  to: null,
  trash: false,
  rating: null,
  minStars: null,
  guardBlocked: false,
};

export interface HistoryToast {
  id: number;
  message: string;
  /** Runs an "Undo" puts back from the trash. */
  undoIds?: string[];
  tone?: 'info' | 'error';
}

/** A long export, pack or import under way (shown with its progress and a Cancel button). */
export type HistoryTransfer = Omit<TransferProgress, 'done' | 'total' | 'unit'> & Partial<Pick<TransferProgress, 'done' | 'total' | 'unit'>>;

/** What a person reads after an import that skipped runs: how many, and why. */
export function skippedSummary(report: Pick<ImportReport, 'skipped' | 'skippedRuns'>): string | null {
  if (report.skipped === 0) return null;
  const listed = report.skippedRuns ?? [];
  const different = listed.filter((run) => run.reason === 'different');
  const same = report.skipped - different.length;
  const parts: string[] = [];
  if (same > 0) parts.push(`skipped ${plural(same, 'run')} already in your history`);
  if (different.length > 0) {
    const names = different.slice(0, 3).map((run) => `“${run.title}”`).join(', ');
    parts.push(
      `kept your own ${different.length === 1 ? 'run' : 'runs'} where the file had a different run with the same id (${names}${different.length > 3 ? ` and ${different.length - 3} more` : ''})`,
    );
  }
  return parts.join('; ');
}

export interface HistoryError {
  message: string;
  details?: string | undefined;
}

export interface HistorySlice {
  historyQuery: string;
  historyFilter: FilterState;
  historySort: HistorySort;
  /** The loaded rows (mutable, see HistoryRows); subscribe to historyRowsVersion to see changes. */
  historyRows: HistoryRows;
  historyRowsVersion: number;
  historyRowCount: number;
  historyCursor: HistoryCursor | null;
  historyTotal: number | null;
  /** historyTotal is a lower bound ("1,000+"): the search stopped counting. */
  historyTotalCapped: boolean;
  /** Why the search found nothing without looking (a lone quote or star): shown instead of "no runs match". */
  historyNotice: string | null;
  historyLoading: boolean;
  historyLoadingMore: boolean;
  historyLoaded: boolean;
  historyError: HistoryError | null;
  historyFacets: HistoryFacets | null;
  historySelection: Record<string, true>;
  historyOpenRunId: string | null;
  historyOpenRun: HistoryRun | null;
  historyOpenRunError: string | null;
  historyCompareIds: [string, string] | null;
  historyToast: HistoryToast | null;
  historyTransfer: HistoryTransfer | null;

  loadHistory(): Promise<void>;
  loadMoreHistory(): Promise<void>;
  /** Fetches again the evicted pages that hold rows in [start, end), and evicts those far from it. */
  showHistoryRows(start: number, end: number): void;
  loadFacets(): Promise<void>;
  setHistoryQuery(query: string): void;
  setHistoryFilter(update: Partial<FilterState>): void;
  resetHistoryFilter(): void;
  setHistorySort(sort: HistorySort): void;
  toggleSelected(id: string, on?: boolean): void;
  setSelection(ids: string[]): void;
  clearSelection(): void;
  openHistoryRun(id: string | null): Promise<void>;
  setCompareRuns(ids: [string, string] | null): void;
  starRuns(ids: string[], starred: boolean): Promise<void>;
  tagRuns(ids: string[], add: string[], remove?: string[]): Promise<void>;
  saveNote(id: string, note: string): Promise<void>;
  deleteRuns(ids: string[]): Promise<void>;
  restoreRuns(ids: string[]): Promise<void>;
  purgeRuns(ids: string[] | 'all'): Promise<void>;
  createCollection(name: string, runIds: string[]): Promise<void>;
  addToCollection(id: string, runIds: string[]): Promise<void>;
  removeFromCollection(id: string, runIds: string[]): Promise<void>;
  deleteCollection(id: string): Promise<void>;
  exportRuns(target: RunTarget, format: ExportFormat): Promise<void>;
  exportPack(target: RunTarget, details: { title: string; author: string; description: string }): Promise<boolean>;
  importFile(): Promise<ImportReport | null>;
  showToast(toast: Omit<HistoryToast, 'id'>): void;
  dismissToast(): void;
  /** Stops the export or import under way; nothing of it is saved. */
  cancelTransfer(): Promise<void>;
}

let generation = 0;
let toastTimer: number | undefined;
let listeningForProgress = false;
const newOperationId = () => `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function toError(error: unknown): HistoryError {
  return error instanceof ApiError ? { message: error.message, details: error.details } : { message: errorMessage(error) };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

export const createHistorySlice: StateCreator<HistorySlice> = (set, get) => {
  const request = (cursor: HistoryCursor | null) => ({
    filter: { ...get().historyFilter, query: get().historyQuery },
    sort: get().historySort,
    cursor,
    limit: PAGE,
    withTotal: cursor === null,
  });

  /** Reloads what changed after an edit: the list in place (keeping scroll), the open run, facets. */
  const refresh = async () => {
    await Promise.all([get().loadHistory(), get().loadFacets(), get().historyOpenRunId ? get().openHistoryRun(get().historyOpenRunId) : null]);
  };

  const patchItems = (ids: string[], patch: (item: RunSummary) => RunSummary) => {
    if (get().historyRows.patch(ids, patch)) set((s) => ({ historyRowsVersion: s.historyRowsVersion + 1 }));
  };

  const refetching = new Set<readonly string[]>();
  const refetch = async (rows: HistoryRows, missing: MissingPage) => {
    if (refetching.has(missing.ids)) return;
    refetching.add(missing.ids);
    try {
      const page = await api.call('history:list', { ...request(missing.cursor), limit: missing.ids.length, withTotal: false });
      if (get().historyRows !== rows) return;
      rows.fill(missing.page, missing.ids, page.items);
      set((s) => ({ historyRowsVersion: s.historyRowsVersion + 1, historyRowCount: rows.length }));
    } catch (error) {
      if (get().historyRows === rows) set({ historyError: toError(error) });
    } finally {
      refetching.delete(missing.ids);
    }
  };

  /**
   * Runs a long export or import under a fresh operation id, following its progress events;
   * a cancelled one resolves to null (with a toast saying nothing was saved).
   */
  const transfer = async <T>(kind: HistoryTransfer['kind'], call: (operationId: string) => Promise<T>): Promise<T | null> => {
    if (!listeningForProgress) {
      listeningForProgress = true;
      api.on('transfer:progress', (progress) => {
        if (get().historyTransfer?.operationId === progress.operationId) set({ historyTransfer: progress });
      });
    }
    const operationId = newOperationId();
    set({ historyTransfer: { operationId, kind } });
    try {
      return await call(operationId);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'cancelled') {
        get().showToast({ message: error.message });
        return null;
      }
      throw error;
    } finally {
      if (get().historyTransfer?.operationId === operationId) set({ historyTransfer: null });
    }
  };

  const guarded = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      get().showToast({ message: toError(error).message, tone: 'error' });
    }
  };

  return {
    historyQuery: '',
    historyFilter: EMPTY_FILTER,
    historySort: 'newest',
    historyRows: new HistoryRows(),
    historyRowsVersion: 0,
    historyRowCount: 0,
    historyCursor: null,
    historyTotal: null,
    historyTotalCapped: false,
    historyNotice: null,
    historyLoading: false,
    historyLoadingMore: false,
    historyLoaded: false,
    historyError: null,
    historyFacets: null,
    historySelection: {},
    historyOpenRunId: null,
    historyOpenRun: null,
    historyOpenRunError: null,
    historyCompareIds: null,
    historyToast: null,
    historyTransfer: null,

    async loadHistory() {
      const mine = ++generation;
      set({ historyLoading: true });
      try {
        const page = await api.call('history:list', request(null));
        if (mine !== generation) return;
        const rows = new HistoryRows();
        rows.append(null, page.items);
        set((s) => ({
          historyRows: rows,
          historyRowsVersion: s.historyRowsVersion + 1,
          historyRowCount: rows.length,
          historyCursor: page.nextCursor,
          historyTotal: page.total,
          historyTotalCapped: page.totalCapped,
          historyNotice: page.notice ?? null,
          historyLoading: false,
          historyLoaded: true,
          historyError: null,
        }));
      } catch (error) {
        if (mine !== generation) return;
        set({ historyLoading: false, historyLoaded: true, historyError: toError(error) });
      }
    },

    async loadMoreHistory() {
      const { historyCursor: cursor, historyLoadingMore, historyLoading } = get();
      if (!cursor || historyLoadingMore || historyLoading) return;
      const mine = generation;
      set({ historyLoadingMore: true });
      try {
        const page = await api.call('history:list', request(cursor));
        if (mine !== generation) return;
        const rows = get().historyRows;
        rows.append(cursor, page.items);
        set((s) => ({
          historyRowsVersion: s.historyRowsVersion + 1,
          historyRowCount: rows.length,
          historyCursor: page.nextCursor,
          historyLoadingMore: false,
        }));
      } catch (error) {
        if (mine !== generation) return;
        set({ historyLoadingMore: false, historyError: toError(error) });
      }
    },

    showHistoryRows(start, end) {
      const rows = get().historyRows;
      rows.retain(start, end);
      for (const missing of rows.missing(start, end)) void refetch(rows, missing);
    },

    async loadFacets() {
      try {
        set({ historyFacets: await api.call('history:facets', {}) });
      } catch (error) {
        set({ historyError: toError(error) });
      }
    },

    setHistoryQuery(query) {
      set({ historyQuery: query, historySort: query.trim() === '' && get().historySort === 'relevance' ? 'newest' : get().historySort });
      void get().loadHistory();
    },

    setHistoryFilter(update) {
      set((s) => ({ historyFilter: { ...s.historyFilter, ...update }, historySelection: {} }));
      void get().loadHistory();
    },

    resetHistoryFilter() {
      set({ historyFilter: EMPTY_FILTER, historyQuery: '', historySelection: {} });
      void get().loadHistory();
    },

    setHistorySort(sort) {
      set({ historySort: sort });
      void get().loadHistory();
    },

    toggleSelected(id, on) {
      set((s) => {
        const next = { ...s.historySelection };
        const want = on ?? !next[id];
        if (want) next[id] = true;
        else delete next[id];
        return { historySelection: next };
      });
    },

    setSelection(ids) {
      set({ historySelection: Object.fromEntries(ids.map((id) => [id, true as const])) });
    },

    clearSelection() {
      set({ historySelection: {} });
    },

    async openHistoryRun(id) {
      set({ historyOpenRunId: id, historyCompareIds: null, historyOpenRunError: null, ...(id === null || id !== get().historyOpenRun?.run.id ? { historyOpenRun: null } : {}) });
      if (id === null) return;
      try {
        const run = await api.call('history:get', { id });
        if (get().historyOpenRunId === id) set({ historyOpenRun: run });
      } catch (error) {
        if (get().historyOpenRunId === id) set({ historyOpenRunError: toError(error).message });
      }
    },

    setCompareRuns(ids) {
      set({ historyCompareIds: ids });
    },

    starRuns: (ids, starred) =>
      guarded(async () => {
        patchItems(ids, (item) => ({ ...item, starred }));
        const open = get().historyOpenRun;
        if (open && ids.includes(open.run.id)) set({ historyOpenRun: { ...open, meta: { ...open.meta, starred } } });
        await api.call('history:star', { ids, starred });
        if (get().historyFilter.starred) await get().loadHistory();
      }),

    tagRuns: (ids, add, remove = []) =>
      guarded(async () => {
        await api.call('history:tag', { ids, add, remove });
        await refresh();
        if (ids.length > 1 && add.length > 0) get().showToast({ message: `Tagged ${plural(ids.length, 'run')} “${add.join('”, “')}”.` });
      }),

    saveNote: (id, note) =>
      guarded(async () => {
        await api.call('history:note', { id, note });
        patchItems([id], (item) => ({ ...item, hasNote: note.trim() !== '' }));
        const open = get().historyOpenRun;
        if (open?.run.id === id) set({ historyOpenRun: { ...open, meta: { ...open.meta, note } } });
        get().showToast({ message: 'Note saved.' });
      }),

    deleteRuns: (ids) =>
      guarded(async () => {
        const { changed } = await api.call('history:delete', { ids });
        const gone = new Set(ids);
        const removed = get().historyRows.remove(ids);
        set((s) => ({
          ...(removed ? { historyRowsVersion: s.historyRowsVersion + 1, historyRowCount: s.historyRows.length } : {}),
          historyTotal: s.historyTotal === null ? null : Math.max(0, s.historyTotal - changed),
          historySelection: {},
          ...(s.historyOpenRunId && gone.has(s.historyOpenRunId) ? { historyOpenRunId: null, historyOpenRun: null } : {}),
        }));
        get().showToast({ message: `Moved ${plural(changed, 'run')} to the trash.`, undoIds: ids });
        void get().loadFacets();
      }),

    restoreRuns: (ids) =>
      guarded(async () => {
        const { changed } = await api.call('history:restore', { ids });
        get().showToast({ message: `Restored ${plural(changed, 'run')}.` });
        await refresh();
      }),

    purgeRuns: (ids) =>
      guarded(async () => {
        const { changed } = await api.call('history:purge', ids === 'all' ? { all: true } : { ids });
        set({ historySelection: {}, historyOpenRunId: null, historyOpenRun: null });
        get().showToast({ message: `Deleted ${plural(changed, 'run')} for good.` });
        await refresh();
      }),

    createCollection: (name, runIds) =>
      guarded(async () => {
        const collection = await api.call('collections:create', { name, runIds });
        get().showToast({ message: `Created “${collection.name}” with ${plural(collection.runCount, 'run')}.` });
        await refresh();
      }),

    addToCollection: (id, runIds) =>
      guarded(async () => {
        const { changed } = await api.call('collections:add', { id, runIds });
        const name = get().historyFacets?.collections.find((c) => c.id === id)?.name ?? 'the collection';
        get().showToast({ message: changed === 0 ? `Already in “${name}”.` : `Added ${plural(changed, 'run')} to “${name}”.` });
        await refresh();
      }),

    removeFromCollection: (id, runIds) =>
      guarded(async () => {
        await api.call('collections:remove', { id, runIds });
        await refresh();
      }),

    deleteCollection: (id) =>
      guarded(async () => {
        await api.call('collections:delete', { id });
        if (get().historyFilter.collectionId === id) set((s) => ({ historyFilter: { ...s.historyFilter, collectionId: null } }));
        get().showToast({ message: 'Collection deleted. Its runs are still in your history.' });
        await refresh();
      }),

    exportRuns: (target, format) =>
      guarded(async () => {
        const outcome = await transfer('export', (operationId) => api.call('export:runs', { target, format, operationId }));
        if (outcome?.status === 'done') get().showToast({ message: `Exported ${plural(outcome.runs, 'run')} to ${outcome.path}` });
      }),

    async exportPack(target, details) {
      try {
        const outcome = await transfer('pack', (operationId) => api.call('packs:export', { target, ...details, operationId }));
        if (outcome?.status === 'done') get().showToast({ message: `Saved a pack of ${plural(outcome.runs, 'run')} to ${outcome.path}` });
        return outcome?.status === 'done';
      } catch (error) {
        get().showToast({ message: toError(error).message, tone: 'error' });
        return false;
      }
    },

    async importFile() {
      try {
        const outcome = await transfer('import', (operationId) => api.call('import:file', { operationId }));
        if (!outcome || outcome.status === 'cancelled') return null;
        const parts = [`Imported ${plural(outcome.imported, 'run')}`];
        const skipped = skippedSummary(outcome);
        if (skipped) parts.push(skipped);
        get().showToast({ message: `${parts.join('; ')}${outcome.pack ? ` from the pack “${outcome.pack.title}”` : ''}.` });
        if (outcome.pack) set((s) => ({ historyFilter: { ...EMPTY_FILTER, packId: outcome.pack!.id }, historyQuery: s.historyQuery && '' }));
        await refresh();
        return outcome;
      } catch (error) {
        set({ historyError: toError(error) });
        return null;
      }
    },

    async cancelTransfer() {
      const current = get().historyTransfer;
      if (current) await api.call('transfer:cancel', { operationId: current.operationId });
    },

    showToast(toast) {
      window.clearTimeout(toastTimer);
      const next = { ...toast, id: Date.now() };
      set({ historyToast: next });
      toastTimer = window.setTimeout(() => {
        if (get().historyToast?.id === next.id) set({ historyToast: null });
      }, toast.undoIds ? 10_000 : 5_000);
    },

    dismissToast() {
      window.clearTimeout(toastTimer);
      set({ historyToast: null });
    },
  };
};
