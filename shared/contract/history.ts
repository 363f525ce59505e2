/**
 * History (issue 6): browse, search, organise, export, import, workshop packs and care of the
 * data. Files are never named by the renderer: every channel that reads or writes a file asks
 * the main process's dialog service for the path, so a compromised page cannot pick one.
 */
import { z } from 'zod';
import type { RunDetail, RunStatus, ArmStatus } from '../domain';
import { RUN_STATUSES } from '../domain';
import type { RunImageRef } from '../images';
import { channel, event } from './channel';

const Id = z.string().min(1).max(200);
const Ids = z.array(Id).min(1).max(100_000);
const Name = z.string().trim().min(1).max(60);

export const HISTORY_SORTS = ['newest', 'oldest', 'title', 'relevance'] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];

/**
 * Human ratings (issue 5): 'rated' = any arm has thumbs or stars, or a preferred arm was picked;
 * 'unrated' = none of that; 'up' / 'down' = any arm has that thumb.
 */
export const RATING_FILTERS = ['rated', 'unrated', 'up', 'down'] as const;
export type RatingFilter = (typeof RATING_FILTERS)[number];

/**
 * What the list shows. Lists combine with AND across fields, OR within one field (any of these
 * models), except tags: a run must carry every tag listed.
 */
export const HistoryFilter = z.object({
  query: z.string().max(500).default(''),
  statuses: z.array(z.enum(RUN_STATUSES)).max(RUN_STATUSES.length).default([]),
  models: z.array(Id).max(50).default([]),
  techniques: z.array(Id).max(50).default([]),
  labs: z.array(Id).max(50).default([]),
  tags: z.array(Name).max(20).default([]),
  collectionId: Id.nullable().default(null),
  packId: Id.nullable().default(null),
  starred: z.boolean().default(false),
  /** Started at or after (epoch ms). */
  from: z.number().int().nullable().default(null),
  /** Started before (epoch ms). */
  to: z.number().int().nullable().default(null),
  /** The trash: runs deleted in the last 30 days, instead of live runs. */
  trash: z.boolean().default(false),
  /** A person's rating (see RATING_FILTERS); null = any. */
  rating: z.enum(RATING_FILTERS).nullable().default(null),
  /** At least this many stars on any arm (1–5); null = any. */
  minStars: z.number().int().min(1).max(5).nullable().default(null),
  /** Runs where a guard step blocked an arm (issue 10). */
  guardBlocked: z.boolean().default(false),
});
export type HistoryFilter = z.input<typeof HistoryFilter>;
export type ValidHistoryFilter = z.output<typeof HistoryFilter>;

/** Keyset position: the sort key of the last row shown and its row number (tie-breaker). */
export const HistoryCursor = z.object({ v: z.union([z.number(), z.string().max(100_000)]), r: z.number().int() });
export type HistoryCursor = z.infer<typeof HistoryCursor>;

export const HistoryListRequest = z.object({
  filter: HistoryFilter.default(HistoryFilter.parse({})),
  sort: z.enum(HISTORY_SORTS).default('newest'),
  cursor: HistoryCursor.nullable().default(null),
  limit: z.number().int().min(1).max(500).default(60),
  /** Count every match (first page only, costs a little on huge histories). */
  withTotal: z.boolean().default(true),
});
export type HistoryListRequest = z.input<typeof HistoryListRequest>;

/**
 * Search snippets mark matches with these control characters (never HTML); the renderer turns
 * them into <mark> elements as text nodes.
 */
export const MATCH_OPEN = '\u0002';
export const MATCH_CLOSE = '\u0003';

export interface ArmSummary {
  label: string;
  technique: string;
  modelId: string;
  status: ArmStatus;
}

export interface RunSummary {
  id: string;
  title: string;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  starred: boolean;
  hasNote: boolean;
  labId: string | null;
  pack: { id: string; title: string } | null;
  tags: string[];
  arms: ArmSummary[];
  /** The start of the baseline's prompt, for rows without a search snippet. */
  preview: string;
  /** Search only: a passage around the best match, matches wrapped in MATCH_OPEN/CLOSE. */
  snippet: string | null;
  deletedAt: number | null;
}

export interface HistoryPage {
  items: RunSummary[];
  nextCursor: HistoryCursor | null;
  /**
   * How many runs match (null when not asked for). Searches that match a large share of a big
   * history stop counting at TOTAL_CAP: then total is TOTAL_CAP and totalCapped is true
   * ("1,000+ runs"): counting further costs more than the page itself at 100k runs.
   */
  total: number | null;
  totalCapped: boolean;
  /**
   * Why a search found nothing without looking: the box holds no word to search for (a lone
   * quote or star, only exclusions). Shown in place of the usual "no runs match" advice.
   */
  notice?: string | null;
}

/** Where a search stops counting its matches (see HistoryPage.total). */
export const TOTAL_CAP = 1_000;

export interface PackInfo {
  id: string;
  title: string;
  author: string;
  description: string;
  createdAt: number;
  importedAt: number;
  runCount: number;
}

export interface CollectionSummary {
  id: string;
  name: string;
  description: string;
  runCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface RunMeta {
  starred: boolean;
  note: string;
  tags: string[];
  labId: string | null;
  pack: PackInfo | null;
  collections: { id: string; name: string }[];
  deletedAt: number | null;
}

export interface HistoryRun {
  run: RunDetail;
  meta: RunMeta;
  /** Images the run's arms produced, in order (empty for text runs). */
  images: RunImageRef[];
}

export interface HistoryFacets {
  live: number;
  trash: number;
  statuses: { status: RunStatus; count: number }[];
  models: string[];
  techniques: string[];
  labs: string[];
  tags: { name: string; count: number }[];
  packs: PackInfo[];
  collections: CollectionSummary[];
}

/** Names a long export or import so its progress can be followed and it can be cancelled. */
export const OperationId = z.string().trim().min(1).max(100);

export interface TransferProgress {
  operationId: string;
  kind: 'export' | 'pack' | 'import';
  /** Runs written (exports) or bytes read over both passes (imports), of total. */
  done: number;
  total: number;
  unit: 'runs' | 'bytes';
}

export const EXPORT_FORMATS = ['markdown', 'html', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which runs an export or a pack holds. */
export const RunTarget = z.union([
  z.object({ runIds: Ids }),
  z.object({ collectionId: Id }),
  z.object({ labId: Id }),
]);
export type RunTarget = z.infer<typeof RunTarget>;

export type FileOutcome<T> = ({ status: 'done'; path: string } & T) | { status: 'cancelled' };

/** A run the import left out, and why. */
export interface SkippedRun {
  id: string;
  title: string;
  /**
   * 'same': the run is already in the history with the same content.
   * 'different': a run with this id is already in the history with other content; the
   * history's own run was kept, the file's was not imported.
   */
  reason: 'same' | 'different';
}

export interface ImportReport {
  /** Runs added to the history. */
  imported: number;
  /** Runs already present (same id), left as they were. */
  skipped: number;
  /** The skipped runs (the first SKIPPED_LISTED of them), each with its reason. */
  skippedRuns?: SkippedRun[];
  experiments: number;
  pack: PackInfo | null;
  /** Corpora a workshop pack brought (its runs' retrieve steps search them). */
  corpora?: number;
  /** Their ids (the Corpora screen refetches on `rag:changed` for each). */
  corpusIds?: string[];
}

/** How many skipped runs an import report lists by name. */
export const SKIPPED_LISTED = 100;

export interface DataStats {
  dbBytes: number;
  walBytes: number;
  runs: number;
  trashed: number;
  packs: number;
  collections: number;
  schemaVersion: number;
  /** A restore waiting for the next start. */
  stagedRestore: { file: string; runs: number } | null;
}

export interface IntegrityReport {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
}

export const historyChannels = {
  'history:list': channel(HistoryListRequest).returns<HistoryPage>(),
  'history:facets': channel(z.object({})).returns<HistoryFacets>(),
  'history:get': channel(z.object({ id: Id })).returns<HistoryRun>(),
  'history:star': channel(z.object({ ids: Ids, starred: z.boolean() })).returns<{ changed: number }>(),
  'history:tag': channel(
    z.object({ ids: Ids, add: z.array(Name).max(20).default([]), remove: z.array(Name).max(20).default([]) }),
  ).returns<{ changed: number }>(),
  'history:note': channel(z.object({ id: Id, note: z.string().max(20_000) })).returns<{ changed: number }>(),
  /** Moves runs to the trash (undo with history:restore). */
  'history:delete': channel(z.object({ ids: Ids })).returns<{ changed: number }>(),
  'history:restore': channel(z.object({ ids: Ids })).returns<{ changed: number }>(),
  /** Deletes runs for good; only runs already in the trash. */
  'history:purge': channel(z.object({ ids: Ids.optional(), all: z.boolean().default(false) })).returns<{
    changed: number;
  }>(),

  'collections:list': channel(z.object({})).returns<CollectionSummary[]>(),
  'collections:create': channel(
    z.object({ name: z.string().trim().min(1, 'Give the collection a name').max(200), description: z.string().max(5_000).default(''), runIds: z.array(Id).max(100_000).default([]) }),
  ).returns<CollectionSummary>(),
  'collections:update': channel(
    z.object({ id: Id, name: z.string().trim().min(1, 'Give the collection a name').max(200).optional(), description: z.string().max(5_000).optional() }),
  ).returns<CollectionSummary>(),
  'collections:delete': channel(z.object({ id: Id })).returns<{ deleted: boolean }>(),
  'collections:add': channel(z.object({ id: Id, runIds: Ids })).returns<{ changed: number }>(),
  'collections:remove': channel(z.object({ id: Id, runIds: Ids })).returns<{ changed: number }>(),

  /**
   * Asks where to save, then writes the runs in that format as a stream (any number of runs),
   * reporting `transfer:progress` under `operationId` and stopping on `transfer:cancel`.
   * HTML reports show word differences when `wordDiffs` is true (default: up to 25 runs).
   */
  'export:runs': channel(
    z.object({ target: RunTarget, format: z.enum(EXPORT_FORMATS), operationId: OperationId.optional(), wordDiffs: z.boolean().optional() }),
  ).returns<FileOutcome<{ runs: number }>>(),
  /** Asks for a .json export or a .parallax pack, validates all of it, imports all or nothing (streamed). */
  'import:file': channel(z.object({ operationId: OperationId.optional() })).returns<FileOutcome<ImportReport>>(),
  /** Stops the export, pack or import running under this id; nothing of it is saved. */
  'transfer:cancel': channel(z.object({ operationId: OperationId })).returns<{ cancelled: boolean }>(),

  'packs:export': channel(
    z.object({
      operationId: OperationId.optional(),
      target: RunTarget,
      title: z.string().trim().min(1, 'Give the pack a title').max(200),
      author: z.string().trim().max(200).default(''),
      description: z.string().max(5_000).default(''),
    }),
  ).returns<FileOutcome<{ runs: number }>>(),
  'packs:list': channel(z.object({})).returns<PackInfo[]>(),

  'data:stats': channel(z.object({})).returns<DataStats>(),
  'data:backup': channel(z.object({})).returns<FileOutcome<{ bytes: number }>>(),
  /** Validates a backup and stages it; it replaces the database at the next start. */
  'data:restore': channel(z.object({})).returns<FileOutcome<{ runs: number; schemaVersion: number }>>(),
  'data:cancel-restore': channel(z.object({})).returns<{ cancelled: boolean }>(),
  'data:check': channel(z.object({})).returns<IntegrityReport>(),
  'data:rebuild-search': channel(z.object({})).returns<{ documents: number }>(),
};

export const historyEvents = {
  /** Runs were added, removed or changed outside the history view (import, restore, purge). */
  'history:changed': event<{ reason: 'import' | 'purge' | 'restore' | 'update' }>(),
  /** How far a long export, pack or import has got (runs for exports, bytes for imports). */
  'transfer:progress': event<TransferProgress>(),
};
