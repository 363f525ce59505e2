/**
 * The bulk path of the streaming import (issue 15): thousands of runs written a batch per
 * transaction, foreign keys deferred once per batch and the search index paused and filled once
 * per batch. What a person notices: every imported run is found by search exactly as in the
 * history it came from, and a file broken near its end (run 9,000) leaves the history as it was —
 * runs, counts, search — with the place named.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HistoryFilter } from '../../../shared/contract/history';
import { AppError } from '../../../shared/errors';
import { createServices, type Services } from '../../../electron/services';
import type { Db } from '../../../electron/services/store';
import { contentChecksum, generateHistory } from '../../support/history-fixtures';

const RUNS = 9_500;
const dirs: string[] = [];
const open: Services[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-import-bulk-'));
  dirs.push(dir);
  return dir;
}
function services(): Services {
  const s = createServices({ dataDir: tempDir(), version: 't' });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const count = (db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as number;
/** The ids of the runs a search finds (FTS5 query), in id order: comparable across histories. */
const found = (db: Db, match: string) =>
  db.prepare('SELECT r.id FROM history_fts f JOIN runs r ON r.rowid = f.rowid WHERE history_fts MATCH ? ORDER BY r.id').pluck().all(match) as string[];
const facets = (db: Db) => db.prepare('SELECT kind, value, n FROM history_facet_counts WHERE n != 0 ORDER BY kind, value').all();
function searchIndexSound(db: Db): void {
  db.prepare("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)").run();
  expect(count(db, 'SELECT COUNT(*) FROM history_fts_deferred')).toBe(0);
}
/** What the History list shows for a search box text (first page, newest first). */
const listed = (s: Services, query: string) =>
  s.history.list({ filter: HistoryFilter.parse({ query }), sort: 'newest', cursor: null, limit: 50, withTotal: false }).items.map((item) => item.id);

let file = '';
let sourceDir = '';

beforeAll(async () => {
  sourceDir = tempDir();
  const source = createServices({ dataDir: sourceDir, version: 't' });
  try {
    generateHistory(source.db, { runs: RUNS });
    file = join(tempDir(), 'all.json');
    const ids = source.db.prepare('SELECT id FROM runs ORDER BY started_at, rowid').pluck().all() as string[];
    expect(await source.exporter.writeStream(ids, 'json', file, 'Everything')).toBe(RUNS);
  } finally {
    source.close();
  }
}, 600_000);

describe('bulk import of a large history', () => {
  it('every imported run is found by search as in the history it came from (common and rare words, OR, a prefix, a phrase), and History lists the same', async () => {
    const target = services();
    const result = await target.exporter.importStream(file);
    expect(result.report).toMatchObject({ imported: RUNS, skipped: 0 });
    searchIndexSound(target.db);
    expect(count(target.db, 'SELECT COUNT(*) FROM history_fts')).toBe(count(target.db, "SELECT COUNT(*) FROM runs WHERE status != 'running'"));

    const source = createServices({ dataDir: sourceDir, version: 't' });
    open.push(source);
    // A common word, a rare one, topic words, a prefix and a phrase taken from a run's own text.
    const sample = source.db.prepare("SELECT text FROM arm_outputs WHERE text != '' ORDER BY run_id LIMIT 1 OFFSET 4321").pluck().get() as string;
    const words = sample.split(/\s+/).filter((w) => /^[a-z]{4,}$/.test(w));
    expect(words.length).toBeGreaterThan(3);
    const phrase = `"${words.slice(0, 2).join(' ')}"`;
    const queries = ['the', 'nurse', 'engineer OR pilot', `${words[0]!.slice(0, 3)}*`, phrase, words.at(-1)!];
    for (const query of queries) {
      const expected = found(source.db, query);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(found(target.db, query), query).toEqual(expected);
    }
    // And what the History list shows for a search box text.
    for (const query of ['nurse', words[1]!, words.slice(0, 2).join(' ')]) {
      const expected = listed(source, query);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(listed(target, query), query).toEqual(expected);
    }
    expect(facets(target.db)).toEqual(facets(source.db));
  }, 600_000);

  it('a run broken at row 9,000 leaves the history exactly as it was, and names the place', async () => {
    const lines = readFileSync(file, 'utf8').split('\n');
    // The bundle's own fields on the first line, then one run per line: line 9,001 holds runs[9000].
    const at = lines.findIndex((line) => line.startsWith('{"id":') || line.startsWith(',{"id":')) + 9_000;
    expect(lines[at]).toContain('"status":"');
    lines[at] = lines[at]!.replace(/"status":"[a-z]+"/, '"status":"exploded"');
    const broken = join(tempDir(), 'broken.json');
    writeFileSync(broken, lines.join('\n'));

    const target = services();
    generateHistory(target.db, { runs: 25, idPrefix: 'mine-', seed: 3 });
    const before = { content: contentChecksum(target.db), facets: facets(target.db), nurse: found(target.db, 'nurse'), the: found(target.db, 'the') };
    const error = await target.exporter.importStream(broken).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('runs[9000].status') });
    expect(count(target.db, 'SELECT COUNT(*) FROM runs')).toBe(25);
    expect(count(target.db, 'SELECT COUNT(*) FROM imports')).toBe(0);
    expect(contentChecksum(target.db)).toBe(before.content);
    expect(facets(target.db)).toEqual(before.facets);
    expect(found(target.db, 'nurse')).toEqual(before.nurse);
    expect(found(target.db, 'the')).toEqual(before.the);
    searchIndexSound(target.db);
  }, 600_000);
});
