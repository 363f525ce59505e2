/**
 * Streaming exports and imports as store jobs (issue 14, item 4): in the app they run in the
 * store worker on its own connection (the main connection writes nothing), report progress to
 * their transfer, stop on Cancel, and a cancelled or failed import leaves nothing half-written —
 * no runs, no search entries, no facet counts. Bulk writes index search once per batch
 * (migration 0017) and leave the index exactly as row-by-row writes would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TaskProgress } from '../../../shared/contract/app';
import { createServices, type Services } from '../../../electron/services';
import type { Db } from '../../../electron/services/store';
import { generateHistory } from '../../support/history-fixtures';
import { sourceStoreWorker } from '../../support/store-worker';

const dirs: string[] = [];
const open: Services[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-jobs-transfer-'));
  dirs.push(dir);
  return dir;
}
function make(threaded: boolean): Services {
  const services = createServices({ dataDir: tempDir(), version: 't', ...(threaded ? { storeWorker: sourceStoreWorker() } : {}) });
  open.push(services);
  return services;
}
afterEach(() => {
  for (const services of open.splice(0)) services.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const runIds = (db: Db) => db.prepare('SELECT id FROM runs ORDER BY started_at, rowid').pluck().all() as string[];
/** Changes this connection itself made (not another connection's). */
const ownChanges = (db: Db) => count(db, 'SELECT total_changes()');
const facets = (db: Db) => db.prepare('SELECT kind, value, n FROM history_facet_counts WHERE n != 0 ORDER BY kind, value').all();
function searchIndexSound(db: Db): void {
  db.prepare("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)").run();
  expect(count(db, 'SELECT COUNT(*) FROM history_fts_deferred')).toBe(0);
}
async function refusal(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('streaming transfers in the store worker', () => {
  it('exports and imports on the worker’s connection, reporting progress to the transfer (not as app:progress)', async () => {
    const source = make(true);
    generateHistory(source.db, { runs: 600 });
    const ids = runIds(source.db);
    const path = join(tempDir(), 'all.json');
    const tasks: TaskProgress[] = [];
    source.jobs.subscribe((task) => tasks.push(task));
    const exportProgress: number[] = [];
    const before = ownChanges(source.db);
    expect(await source.exporter.writeStream(ids, 'json', path, 'All', {}, { onProgress: (done) => exportProgress.push(done) })).toBe(600);
    expect(exportProgress.at(-1)).toBe(600);

    const target = make(true);
    const targetBefore = ownChanges(target.db);
    const importProgress: number[] = [];
    const { report } = await target.exporter.importStream(path, { onProgress: (done, total) => importProgress.push(done / total) });
    expect(report).toMatchObject({ imported: 600, skipped: 0 });
    expect(importProgress.at(-1)).toBe(1);
    // The worker wrote the runs; the app's own connection wrote nothing and sees them all.
    expect(ownChanges(target.db)).toBe(targetBefore);
    expect(ownChanges(source.db)).toBe(before);
    expect(runIds(target.db)).toEqual(ids);
    expect(tasks).toEqual([]);
    // Searchable at once, each run once, with the same counts as the source.
    const word = 'candidate';
    expect(count(target.db, `SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH '${word}'`)).toBe(count(source.db, `SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH '${word}'`));
    expect(facets(target.db)).toEqual(facets(source.db));
    searchIndexSound(target.db);

    // A pack goes the same way.
    const pack = join(tempDir(), 'w.parallax');
    expect(await source.packs.writeStream(pack, ids.slice(0, 50), { title: 'Workshop', author: 'Ana', description: '' })).toBe(50);
    const trainee = make(true);
    expect((await trainee.exporter.importStream(pack)).pack).toMatchObject({ title: 'Workshop', author: 'Ana' });
    expect(count(trainee.db, 'SELECT COUNT(*) FROM runs WHERE source_pack_id IS NOT NULL')).toBe(50);
  }, 120_000);

  it('Cancel stops an import in the worker half-way and leaves nothing behind', async () => {
    const source = make(false);
    generateHistory(source.db, { runs: 1_500 });
    const path = join(tempDir(), 'all.json');
    await source.exporter.writeStream(runIds(source.db), 'json', path, 'All');

    const target = make(true);
    generateHistory(target.db, { runs: 20, idPrefix: 'mine-' });
    const facetsBefore = facets(target.db);
    const stop = new AbortController();
    let seen = 0;
    const error = await refusal(
      target.exporter.importStream(path, {
        signal: stop.signal,
        onProgress: (done, total) => {
          seen = done / total;
          if (seen > 0.5) stop.abort();
        },
      }),
    );
    expect(error).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/Nothing was saved/) });
    expect(seen).toBeLessThan(1);
    expect(count(target.db, 'SELECT COUNT(*) FROM runs')).toBe(20);
    expect(count(target.db, 'SELECT COUNT(*) FROM arm_outputs')).toBe(40);
    expect(facets(target.db)).toEqual(facetsBefore);
    searchIndexSound(target.db);
    // The worker is free for the next job, and the same file then imports whole.
    expect((await target.exporter.importStream(path)).report.imported).toBe(1_500);
    searchIndexSound(target.db);
  }, 180_000);

  it.each([false, true])('an import that fails after writing batches takes them all back (worker: %s)', async (threaded) => {
    const source = make(false);
    generateHistory(source.db, { runs: 700 });
    const path = join(tempDir(), 'broken.json');
    await source.exporter.writeStream(runIds(source.db), 'json', path, 'All');
    // The last run refers to an experiment that exists nowhere: found only when it is written.
    const lines = readFileSync(path, 'utf8').split('\n');
    const last = lines.findLastIndex((line) => line.includes('"experimentId":null'));
    lines[last] = lines[last]!.replace('"experimentId":null', '"experimentId":"an-experiment-nobody-has"');
    writeFileSync(path, lines.join('\n'));

    const target = make(threaded);
    generateHistory(target.db, { runs: 10, idPrefix: 'mine-' });
    const facetsBefore = facets(target.db);
    const matchesBefore = count(target.db, "SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH 'the'");
    const error = await refusal(target.exporter.importStream(path));
    expect(error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('refers to experiment "an-experiment-nobody-has"') });
    expect(count(target.db, 'SELECT COUNT(*) FROM runs')).toBe(10);
    expect(count(target.db, 'SELECT COUNT(*) FROM arm_outputs')).toBe(20);
    expect(count(target.db, "SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH 'the'")).toBe(matchesBefore);
    expect(facets(target.db)).toEqual(facetsBefore);
    searchIndexSound(target.db);
  }, 120_000);

  it('after a bulk import, the app’s own writes are indexed row by row as before', async () => {
    const source = make(false);
    generateHistory(source.db, { runs: 300 });
    const path = join(tempDir(), 'all.json');
    await source.exporter.writeStream(runIds(source.db), 'json', path, 'All');
    const target = make(false);
    await target.exporter.importStream(path);
    generateHistory(target.db, { runs: 5, seed: 9, idPrefix: 'later-' });
    const later = "rowid IN (SELECT rowid FROM runs WHERE id LIKE 'later-%')";
    expect(count(target.db, `SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH 'the' AND ${later}`)).toBe(5);
    searchIndexSound(target.db);
  }, 60_000);
});
