/**
 * The WAL checkpoint off the write path (issue 15, insert p95): the app's connection does not
 * checkpoint on its own commits; the store jobs host does, in the background (the worker's
 * connection in the app), so the WAL file stays bounded while runs keep being written.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../electron/services/store';
import { WAL_AUTOCHECKPOINT_PAGES } from '../../../electron/services/store/db';
import { createStoreJobs, type StoreJobs } from '../../../electron/services/store/jobs/host';
import { generateHistory } from '../../support/history-fixtures';
import { sourceStoreWorker } from '../../support/store-worker';

const open: { jobs: StoreJobs; db: Db; dir: string }[] = [];
afterEach(async () => {
  for (const { jobs, db, dir } of open.splice(0)) {
    await jobs.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function make(threaded: boolean, checkpoint: { intervalMs: number } | false) {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-checkpoint-'));
  const dbPath = join(dir, 'parallax.db');
  const db = openDb(dbPath);
  const jobs = createStoreJobs({ db, dbPath, checkpoint, ...(threaded ? { worker: sourceStoreWorker() } : {}) });
  open.push({ jobs, db, dir });
  return { db, jobs, walBytes: () => statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0 };
}

/** Writes five batches of runs, waiting after each for `settle` (the background checkpoint, or nothing). */
async function writeBatches(db: Db, settle: () => Promise<void>): Promise<void> {
  for (let batch = 0; batch < 5; batch += 1) {
    generateHistory(db, { runs: 60, idPrefix: `b${batch}-`, seed: batch + 1 });
    await settle();
  }
}

describe.each([false, true])('background WAL checkpoint (worker thread: %s)', (threaded) => {
  it('keeps the WAL file about one batch of writes big, where without it the WAL grows with every batch', async () => {
    const background = make(threaded, { intervalMs: 20 });
    // The app's own commits leave checkpoints to the background job (a high backstop only).
    expect(background.db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    let oneBatch = 0;
    await writeBatches(background.db, async () => {
      oneBatch ||= background.walBytes();
      const writtenAt = Date.now();
      const written = background.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
      // Every page of the WAL has been copied into the database file by the background job.
      await expect
        .poll(() => {
          const last = background.jobs.lastCheckpoint;
          return last !== null && last.at >= writtenAt && last.busy === 0 && last.log > 0 && last.checkpointed === last.log;
        }, { timeout: 20_000 })
        .toBe(true);
      // …and all of it is readable from the file alone (the runs are there).
      expect(written).toBeGreaterThan(0);
    });
    const bounded = background.walBytes();
    expect(bounded).toBeLessThan(oneBatch * 2);

    const none = make(threaded, false);
    await writeBatches(none.db, async () => {
      await new Promise((resolve) => setTimeout(resolve, 60));
    });
    expect(none.jobs.lastCheckpoint).toBeNull();
    expect(none.walBytes()).toBeGreaterThan(oneBatch * 4);
    expect(bounded).toBeLessThan(none.walBytes() / 2);
  }, 120_000);
});
