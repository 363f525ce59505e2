/**
 * The background merge of the history search index (issue 15, search shapes): a history written
 * a run at a time leaves the index in many segments, and every search looks each term up in each
 * one; the store job merges them in short slices, and searches find exactly what they found before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryListRequest } from '../../../shared/contract/history';
import { openDb, type Db } from '../../../electron/services/store';
import { createHistoryRepo } from '../../../electron/services/store/history';
import { createStoreJobs, type StoreJobs } from '../../../electron/services/store/jobs/host';
import { COMPACT_ABOVE_SEGMENTS, compactSearchIndex } from '../../../electron/services/store/search-index';
import { generateHistory } from '../../support/history-fixtures';
import { sourceStoreWorker } from '../../support/store-worker';

const open: { jobs?: StoreJobs; db: Db; dir: string }[] = [];
afterEach(async () => {
  for (const { jobs, db, dir } of open.splice(0)) {
    await jobs?.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A history written in 24 separate transactions with FTS5's own merging off: one segment each. */
function fragmented() {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-compact-'));
  const dbPath = join(dir, 'parallax.db');
  const db = openDb(dbPath);
  db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('automerge', 0)");
  for (let batch = 0; batch < 24; batch += 1) generateHistory(db, { runs: 20, idPrefix: `b${batch}-`, seed: batch + 1 });
  db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('automerge', 4)");
  const entry: { jobs?: StoreJobs; db: Db; dir: string } = { db, dir };
  open.push(entry);
  return { db, dbPath, entry };
}

const segments = (db: Db) => db.prepare('SELECT count(DISTINCT segid) FROM history_fts_idx').pluck().get() as number;

const QUERIES: HistoryListRequest[] = [
  { filter: { query: 'nurse' } },
  { filter: { query: 'the' } },
  { filter: { query: 'k' } },
  { filter: { query: '"the candidate"' } },
  { filter: { query: 'pilot OR teacher', statuses: ['completed'] } },
];
function searches(db: Db) {
  const history = createHistoryRepo(db);
  return QUERIES.map((request) => {
    const page = history.list(HistoryListRequest.parse({ ...request, limit: 30 }));
    return { total: page.total, items: page.items.map((item) => [item.id, item.snippet]) };
  });
}

describe('merging the search index in the background', () => {
  it('merges a fragmented index down to a few segments, and every search finds the same runs and snippets', async () => {
    const { db } = fragmented();
    const before = segments(db);
    expect(before).toBeGreaterThan(COMPACT_ABOVE_SEGMENTS * 2);
    const found = searches(db);

    const result = await compactSearchIndex(db, { budgetMs: 60_000, pauseMs: 0 });
    expect(result).toMatchObject({ before, more: false });
    expect(result.after).toBe(segments(db));
    expect(result.after).toBeLessThanOrEqual(COMPACT_ABOVE_SEGMENTS);
    expect(searches(db)).toEqual(found);
    expect(db.prepare("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)").run()).toBeTruthy();

    // Nothing left to do: the next go returns at once.
    expect(await compactSearchIndex(db, { budgetMs: 60_000 })).toMatchObject({ slices: 0, more: false });
  }, 120_000);

  it('stops when its budget is spent and says there is more', async () => {
    const { db } = fragmented();
    const result = await compactSearchIndex(db, { budgetMs: 0 });
    expect(result.slices).toBe(1);
    expect(result.more).toBe(true);
  }, 120_000);

  it.each([false, true])('runs as a quiet store job (worker thread: %s)', async (threaded) => {
    const { db, dbPath, entry } = fragmented();
    const jobs = createStoreJobs({ db, dbPath, checkpoint: false, compact: false, ...(threaded ? { worker: sourceStoreWorker() } : {}) });
    entry.jobs = jobs;
    const progress: unknown[] = [];
    jobs.subscribe((p) => progress.push(p));
    let result = await jobs.compactSearch(60_000);
    while (result.more) result = await jobs.compactSearch(60_000);
    expect(segments(db)).toBeLessThanOrEqual(COMPACT_ABOVE_SEGMENTS);
    expect(progress).toEqual([]);
  }, 120_000);
});
