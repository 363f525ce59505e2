/**
 * The store worker thread (built as dist-electron/store-worker.js): owns its own better-sqlite3
 * connection to the app's database and runs store jobs (registry.ts) one message at a time.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../../shared/errors';
import { STORE_JOBS, type StoreJobName } from './registry';
import { WAL_AUTOCHECKPOINT_PAGES } from '../db';
import { JobRequest, WorkerData, type JobReply } from './protocol';

const data = WorkerData.parse(workerData);
const db = new Database(data.dbPath, { fileMustExist: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
db.pragma('busy_timeout = 10000');
// As the app's own connection (store/db.ts): safe in WAL mode against crashes, one fsync per checkpoint.
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// This connection runs the background checkpoint itself (host.ts); the threshold is the backstop.
db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);

const port = parentPort!;
const post = (reply: JobReply) => port.postMessage(reply);
/** Jobs running now, by id, so a cancel message can reach them between their batches. */
const running = new Map<number, AbortController>();

port.on('message', async (message: unknown) => {
  const parsed = JobRequest.safeParse(message);
  if (!parsed.success) return;
  if (parsed.data.type === 'close') {
    db.close();
    port.close();
    return;
  }
  if (parsed.data.type === 'cancel') {
    running.get(parsed.data.id)?.abort();
    return;
  }
  const { id, job, args } = parsed.data;
  const controller = new AbortController();
  running.set(id, controller);
  let last = 0;
  try {
    const run = STORE_JOBS[job as StoreJobName] as (context: unknown, args: unknown) => unknown;
    const result = await run(
      {
        db,
        dbPath: data.dbPath,
        nativeBinding: data.nativeBinding,
        signal: controller.signal,
        progress(done: number, total: number | null) {
          const now = Date.now();
          if (now - last < 50 && done !== total) return;
          last = now;
          post({ type: 'progress', id, done, total });
        },
      },
      args,
    );
    post({ type: 'result', id, result });
  } catch (error) {
    post({
      type: 'error',
      id,
      error:
        error instanceof AppError
          ? { app: true, code: error.code, message: error.message, details: error.details }
          : { app: false, code: typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined, message: error instanceof Error ? error.message : String(error) },
    });
  } finally {
    running.delete(id);
  }
});
