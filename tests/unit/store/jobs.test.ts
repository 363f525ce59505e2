/** Store jobs (electron/services/store/jobs): the same job inline and in the worker thread, progress, errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../../shared/contract/app';
import { AppError } from '../../../shared/errors';
import { createServices, type Services } from '../../../electron/services';
import { generateHistory } from '../../support/history-fixtures';
import { sourceStoreWorker } from '../../support/store-worker';

const open: { services: Services; dir: string }[] = [];
afterEach(() => {
  for (const { services, dir } of open.splice(0)) {
    services.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function make(threaded: boolean): Services {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-jobs-'));
  const services = createServices({ dataDir: dir, version: 't', ...(threaded ? { storeWorker: sourceStoreWorker() } : {}) });
  open.push({ services, dir });
  generateHistory(services.db, { runs: 30 });
  return services;
}

describe.each([false, true])('store jobs (worker thread: %s)', (threaded) => {
  it('runs the integrity check and reports progress from start to done', async () => {
    const services = make(threaded);
    const seen: TaskProgress[] = [];
    services.jobs.subscribe((p) => seen.push(p));
    expect(services.jobs.threaded).toBe(threaded);
    const report = await services.data.check();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['Database file', 'Links between tables', 'Search index']);
    expect(seen[0]).toMatchObject({ label: 'Checking the database', state: 'running' });
    expect(seen.at(-1)).toMatchObject({ label: 'Checking the database', state: 'done', done: 1, total: 1 });
    expect(new Set(seen.map((p) => p.taskId)).size).toBe(1);
  }, 60_000);

  it('sees the app’s own writes, rebuilds the search index and backs up', async () => {
    const services = make(threaded);
    expect(await services.data.rebuildSearch()).toBe(30);
    const backup = join(tmpdir(), `parallax-jobs-backup-${process.pid}-${threaded}.db`);
    try {
      expect(await services.data.backup(backup)).toBeGreaterThan(10_000);
      expect(await services.data.stageRestore(backup)).toMatchObject({ runs: 30 });
    } finally {
      rmSync(backup, { force: true });
    }
  }, 60_000);

  it('brings an AppError across the thread with its code and message, and reports the task failed', async () => {
    const services = make(threaded);
    const seen: TaskProgress[] = [];
    services.jobs.subscribe((p) => seen.push(p));
    const bad = join(tmpdir(), `parallax-jobs-bad-${process.pid}-${threaded}.db`);
    writeFileSync(bad, 'not a database');
    try {
      const error = await services.data.stageRestore(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('not an SQLite database at all') });
      expect(seen.at(-1)).toMatchObject({ state: 'failed' });
    } finally {
      rmSync(bad, { force: true });
    }
  }, 60_000);
});

it('a closed job runner refuses new work with a clear message', async () => {
  const services = make(true);
  await services.jobs.close();
  await expect(services.data.check()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Parallax is closing') });
});
