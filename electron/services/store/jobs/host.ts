/**
 * Runs store jobs (registry.ts) off the main thread: one worker thread, started on first use,
 * owning its own connection; jobs run one after another; each reports progress to listeners as
 * a TaskProgress (the handler table forwards it to the window as `app:progress`).
 *
 * Without a worker (no `worker` option: plain Node tools, most tests) the same jobs run inline on
 * the app's connection, so behaviour is identical and only the thread differs.
 */
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { TaskProgress } from '../../../../shared/contract/app';
import { AppError, type ErrorCode } from '../../../../shared/errors';
import type { Db } from '../db';
import { JobReply } from './protocol';
import { STORE_JOB_LABELS, STORE_JOBS, type StoreJobArgs, type StoreJobName, type StoreJobResult, type WalCheckpoint } from './registry';

/** Where the worker's code is: a built file (the app), or source text to eval (tests, via tsx). */
export type StoreWorkerSpec = { file: string } | { source: string };

export interface StoreJobsOptions {
  db: Db;
  dbPath: string;
  nativeBinding?: string | undefined;
  worker?: StoreWorkerSpec | undefined;
  /**
   * The background WAL checkpoint (see store/db.ts): every `intervalMs` while the WAL file has
   * changed since the last one; `false` turns it off (tools that open the file briefly).
   */
  checkpoint?: { intervalMs?: number } | false;
  /** The background merge of the search index's segments (store/search-index.ts); `false` turns it off. */
  compact?: { intervalMs?: number; budgetMs?: number } | false;
}

/** How often the search index is looked at for segments to merge, and how long one go may take. */
export const COMPACT_INTERVAL_MS = 30_000;
export const COMPACT_BUDGET_MS = 5_000;

/** How often the WAL is checkpointed in the background while it changes. */
export const CHECKPOINT_INTERVAL_MS = 2_000;

/** How one job is run: its label, a way to cancel it, and where its progress goes. */
export interface StoreJobRunOptions {
  /** What the progress bar reads (the job's own label by default). */
  label?: string;
  /** Aborting it cancels the job at its next check; the job then fails with its own 'cancelled' error. */
  signal?: AbortSignal;
  /**
   * Progress of this job only. A job given one reports to it instead of to the listeners
   * (`app:progress`): long transfers have their own progress events (`transfer:progress`).
   */
  onProgress?(done: number, total: number | null): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  progress(done: number, total: number | null): void;
}

const ERROR_CODES = new Set<ErrorCode>(['invalid_request', 'not_found', 'conflict', 'bad_input', 'bedrock', 'cancelled', 'unavailable', 'internal']);

export function createStoreJobs(options: StoreJobsOptions) {
  const listeners = new Set<(progress: TaskProgress) => void>();
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;

  // The background checkpoint: a quiet job (no progress bar), at most one at a time, only when
  // the WAL file was written since the last one (its mtime; a stat costs next to nothing).
  let lastCheckpoint: (WalCheckpoint & { at: number }) | null = null;
  let checkpointing = false;
  let walSeen = -1;
  const checkpointTick = async () => {
    if (checkpointing || closed) return;
    checkpointing = true;
    try {
      const wal = await stat(`${options.dbPath}-wal`).catch(() => null);
      if (compactMore) void compactTick();
      if (!wal || wal.size === 0 || wal.mtimeMs === walSeen) return;
      walSeen = wal.mtimeMs;
      const result = await api.run('checkpoint', {}, { onProgress: () => undefined });
      lastCheckpoint = { ...result, at: Date.now() };
    } catch (error) {
      if (!closed) console.error('[parallax] background checkpoint:', error);
    } finally {
      checkpointing = false;
    }
  };
  const checkpointTimer =
    options.checkpoint === false ? null : setInterval(() => void checkpointTick(), options.checkpoint?.intervalMs ?? CHECKPOINT_INTERVAL_MS);
  checkpointTimer?.unref();

  // The background merge of the search index: quiet too, one at a time; again at the next
  // checkpoint tick while there is work left, else every COMPACT_INTERVAL_MS.
  let compacting = false;
  let compactMore = false;
  const compactTick = async () => {
    if (compacting || closed) return;
    compacting = true;
    try {
      const budgetMs = (options.compact && options.compact.budgetMs) || COMPACT_BUDGET_MS;
      compactMore = (await api.run('search-compact', { budgetMs }, { onProgress: () => undefined })).more;
    } catch (error) {
      compactMore = false;
      if (!closed) console.error('[parallax] search index merge:', error);
    } finally {
      compacting = false;
    }
  };
  const compactTimer =
    options.compact === false ? null : setInterval(() => void compactTick(), (options.compact && options.compact.intervalMs) || COMPACT_INTERVAL_MS);
  compactTimer?.unref();

  const publish = (progress: TaskProgress) => {
    for (const listener of listeners) listener(progress);
  };

  function failAll(error: unknown): void {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  }

  function ensureWorker(spec: StoreWorkerSpec): Worker {
    if (worker) return worker;
    const workerData = { dbPath: options.dbPath, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
    const started = 'file' in spec ? new Worker(spec.file, { workerData }) : new Worker(spec.source, { eval: true, workerData });
    started.on('message', (message: unknown) => {
      const reply = JobReply.safeParse(message);
      if (!reply.success) return;
      const job = pending.get(reply.data.id);
      if (!job) return;
      if (reply.data.type === 'progress') return job.progress(reply.data.done, reply.data.total);
      pending.delete(reply.data.id);
      if (reply.data.type === 'result') return job.resolve(reply.data.result);
      const { app, code, message: text, details } = reply.data.error;
      if (app && code && ERROR_CODES.has(code as ErrorCode)) job.reject(new AppError(code as ErrorCode, text, details));
      else job.reject(Object.assign(new Error(text), code ? { code } : {}));
    });
    started.on('error', (error) => {
      worker = null;
      failAll(error);
    });
    started.on('exit', (code) => {
      if (worker === started) worker = null;
      if (pending.size > 0) failAll(new Error(`The database worker stopped (exit code ${code}).`));
    });
    started.unref();
    worker = started;
    return started;
  }

  const api = {
    /** Whether jobs run in a worker thread (the app) or inline (no worker configured). */
    get threaded(): boolean {
      return options.worker !== undefined;
    },

    /** Listens to every job's progress; returns the unsubscribe function. */
    subscribe(listener: (progress: TaskProgress) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * Runs one job; its progress goes to `onProgress` when given, else to the listeners under
     * `label` (the job's own by default).
     */
    async run<N extends StoreJobName>(job: N, args: StoreJobArgs<N>, runOptions: StoreJobRunOptions | string = {}): Promise<StoreJobResult<N>> {
      if (closed) throw new AppError('unavailable', 'Parallax is closing; try again after it restarts.');
      const { label = STORE_JOB_LABELS[job], signal, onProgress } = typeof runOptions === 'string' ? { label: runOptions } : runOptions;
      const id = nextId++;
      const taskId = `${job}-${id}`;
      const report = (done: number, total: number | null, state: TaskProgress['state'] = 'running') => {
        if (!onProgress) publish({ taskId, label, done, total, state });
        else if (state === 'running') onProgress(done, total);
      };
      report(0, null);
      try {
        let result: unknown;
        if (!options.worker) {
          const inline = STORE_JOBS[job] as (context: unknown, args: unknown) => unknown;
          const context = {
            db: options.db,
            dbPath: options.dbPath,
            nativeBinding: options.nativeBinding,
            signal: signal ?? new AbortController().signal,
            progress: (done: number, total: number | null) => report(done, total),
          };
          result = await inline(context, args);
        } else {
          const thread = ensureWorker(options.worker);
          thread.ref();
          const cancel = () => thread.postMessage({ type: 'cancel', id });
          try {
            result = await new Promise((resolve, reject) => {
              pending.set(id, { resolve, reject, progress: (done, total) => report(done, total) });
              thread.postMessage({ type: 'run', id, job, args });
              if (signal?.aborted) cancel();
              else signal?.addEventListener('abort', cancel, { once: true });
            });
          } finally {
            signal?.removeEventListener('abort', cancel);
            if (pending.size === 0) thread.unref();
          }
        }
        report(1, 1, 'done');
        return result as StoreJobResult<N>;
      } catch (error) {
        report(0, null, 'failed');
        throw error;
      }
    },

    /** The last background checkpoint (pages in the WAL and copied), null before the first. */
    get lastCheckpoint(): (WalCheckpoint & { at: number }) | null {
      return lastCheckpoint;
    },

    /** Merges the search index's segments now, up to budgetMs (what the timer does; benches and tests call it). */
    compactSearch(budgetMs = COMPACT_BUDGET_MS) {
      return api.run('search-compact', { budgetMs }, { onProgress: () => undefined });
    },

    /** Stops the worker (its connection closes with it). */
    async close(): Promise<void> {
      closed = true;
      if (checkpointTimer) clearInterval(checkpointTimer);
      if (compactTimer) clearInterval(compactTimer);
      const running = worker;
      worker = null;
      failAll(new AppError('unavailable', 'Parallax closed while a database task was running; nothing was changed by it.'));
      if (running) await running.terminate();
    },
  };
  return api;
}

export type StoreJobs = ReturnType<typeof createStoreJobs>;
