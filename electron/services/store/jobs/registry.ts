/**
 * Store jobs: heavy database work that must not run on the app's main thread. Each job is a
 * function of its own connection, its arguments and a progress callback; `createStoreJobs`
 * (host.ts) runs it in a worker thread that owns that connection, or inline where no worker is
 * configured (plain Node tools, most tests). Adding a job: add an entry here, nothing else.
 *
 * A job's arguments and result cross a thread boundary: plain data only (structured clone).
 */
import { createHistoryRepo } from '../history';
import { compactSearchIndex, type CompactResult } from '../search-index';
import type { Db } from '../db';
import { backupTo, integrityReport, stageRestore } from '../maintenance';
import { ingestFiles, type IngestFile, type IngestResult } from '../../rag/ingest';
import { importStream, type StreamImportResult } from '../../export/import-stream';
import { streamExport, type StreamExportOptions } from '../../export/stream';
import { sqlScoreLookup } from '../../export/scores';

export interface StoreJobContext {
  /** The job's own connection (the worker's, or the app's when run inline). */
  db: Db;
  dbPath: string;
  nativeBinding: string | undefined;
  /** Reports steps done (and in all, when known); cheap to call often. */
  progress(done: number, total: number | null): void;
  /** Aborted when the caller cancels the job (imports and exports stop at their next batch). */
  signal: AbortSignal;
}

/** An export's options as they cross the thread boundary (the job supplies the connection and the scores). */
export type ExportJobArgs = Omit<StreamExportOptions, 'db' | 'scores'>;

/** What a PASSIVE checkpoint did: pages in the WAL, pages copied; busy when it could not start. */
export interface WalCheckpoint {
  busy: number;
  log: number;
  checkpointed: number;
}

export type StoreJob<Args, Result> = (context: StoreJobContext, args: Args) => Result | Promise<Result>;

export const STORE_JOBS = {
  /** integrity_check, foreign_key_check and the search index check (Settings › Data). */
  'integrity-check': ((context) => integrityReport(context.db, context.progress)) as StoreJob<Record<string, never>, ReturnType<typeof integrityReport>>,
  /** A consistent online backup to `path`; returns its size in bytes. */
  backup: ((context, args) => backupTo(context.db, args.path, context.progress)) as StoreJob<{ path: string }, number>,
  /** Re-creates the search index from the tables; returns the number of runs. */
  'rebuild-search': ((context) => {
    context.progress(0, 1);
    const documents = createHistoryRepo(context.db, Date.now).rebuildSearch();
    context.progress(1, 1);
    return documents;
  }) as StoreJob<Record<string, never>, number>,
  /** Copies a backup into the data folder and validates it (quick_check) for the next start. */
  'stage-restore': ((context, args) => stageRestore(args.dataDir, args.source, context.nativeBinding)) as StoreJob<
    { dataDir: string; source: string },
    ReturnType<typeof stageRestore>
  >,
  /**
   * Copies the WAL's pages into the database file without waiting for readers or writers
   * (PASSIVE): the app's connection leaves checkpoints to this job (store/db.ts), so they are
   * off the write path. Runs every few seconds while the WAL changes (host.ts), quietly.
   */
  checkpoint: ((context) => {
    const [row] = context.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return { busy: row?.busy ?? 0, log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  }) as StoreJob<Record<string, never>, WalCheckpoint>,
  /** Merges the history search index's segments in short slices (search-index.ts), up to `budgetMs`; quiet, in the background. */
  'search-compact': ((context, args) => compactSearchIndex(context.db, { budgetMs: args.budgetMs, signal: context.signal })) as StoreJob<{ budgetMs: number }, CompactResult>,
  /** Corpora (issue 11): extract, chunk and store files; a file that fails is a problem in the result, the rest go on. */
  'rag-add-files': ((context, args) => ingestFiles(context.db, args.corpusId, args.files, context.progress)) as StoreJob<{ corpusId: string; files: IngestFile[] }, IngestResult>,
  /** Exports and packs written as streams (export/stream.ts); returns how many runs were written. */
  export: ((context, args) =>
    streamExport({ ...args, db: context.db, scores: sqlScoreLookup(context.db) }, { signal: context.signal, onProgress: (done, total) => context.progress(done, total) })) as StoreJob<
    ExportJobArgs,
    number
  >,
  /** A JSON export or pack of any size read as a stream and written all or nothing (export/import-stream.ts). */
  import: ((context, args) =>
    importStream({ db: context.db, now: Date.now }, args.path, { signal: context.signal, onProgress: (done, total) => context.progress(done, total) })) as StoreJob<
    { path: string },
    StreamImportResult
  >,
} satisfies Record<string, StoreJob<never, unknown>>;

export type StoreJobName = keyof typeof STORE_JOBS;
export type StoreJobArgs<N extends StoreJobName> = Parameters<(typeof STORE_JOBS)[N]>[1];
export type StoreJobResult<N extends StoreJobName> = Awaited<ReturnType<(typeof STORE_JOBS)[N]>>;

/** What a person reads while a job runs (the renderer's progress bar). */
export const STORE_JOB_LABELS: Record<StoreJobName, string> = {
  'integrity-check': 'Checking the database',
  backup: 'Backing up your data',
  checkpoint: 'Saving recent changes to the database file',
  'search-compact': 'Tidying the search index',
  'rebuild-search': 'Rebuilding the search index',
  'stage-restore': 'Checking the backup',
  'rag-add-files': 'Adding documents to the corpus',
  export: 'Exporting runs',
  import: 'Importing runs',
};
