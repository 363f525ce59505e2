/**
 * Search shapes at scale (issue 15): what a lone quote or star does, one-letter queries, `word*`,
 * and the query plans of every shape the bench times — each must use the index it was written
 * for (a plan that scans the runs table or sorts every match is what made these slow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryListRequest, MATCH_OPEN } from '../../../shared/contract/history';
import { openDb, type Db } from '../../../electron/services/store';
import { createHistoryRepo, searchNotice, toFtsQuery, type HistoryRepo } from '../../../electron/services/store/history';
import { generateHistory, MODELS } from '../../support/history-fixtures';

const RUNS = 4_000;
let dir: string;
let db: Db;
let history: HistoryRepo;
let seen: { sql: string; params: readonly unknown[] }[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-search-shapes-'));
  db = openDb(join(dir, 'history.db'));
  generateHistory(db, { runs: RUNS });
  // Ratings on some runs, as in the bench.
  db.exec(`INSERT INTO arm_ratings (run_id, arm_index, thumb, stars, updated_at)
    SELECT r.id, 0, CASE r.rowid % 3 WHEN 0 THEN 1 ELSE -1 END, 1 + r.rowid % 5, r.started_at FROM runs r WHERE r.rowid % 7 = 0`);
  history = createHistoryRepo(db, Date.now, { onQuery: (sql, params) => seen.push({ sql, params }) });
}, 120_000);
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const list = (request: HistoryListRequest) => history.list(HistoryListRequest.parse(request));

describe('search input a person types', () => {
  it('a lone quote, star or punctuation finds nothing and says why — never every run', () => {
    for (const query of ['"', '*', '""', '" "', '**', '?!', '(', '"*"']) {
      const page = list({ filter: { query } });
      expect(page.items, query).toEqual([]);
      expect(page.total, query).toBe(0);
      expect(page.notice, query).toMatch(/Search looks for words and numbers/);
    }
    expect(list({ filter: { query: '-nurse' } }).notice).toMatch(/only excludes words/);
    // Words with syntax around them still search those words, with no notice.
    const quoted = list({ filter: { query: '"nurse' } });
    expect(quoted.total).toBe(RUNS / 10);
    expect(quoted.notice ?? null).toBeNull();
    expect(searchNotice('nurse')).toBeNull();
    expect(searchNotice('   ')).toBeNull();
  });

  it('one letter matches words starting with it while typing, as a search box does', () => {
    const k = list({ filter: { query: 'k' }, limit: 20 });
    expect(k.items.length).toBe(20);
    for (const item of k.items) expect(item.snippet).toMatch(new RegExp(`${MATCH_OPEN}k`, 'i'));
    // The one-letter word itself is still found ('a' is in every generated run).
    expect(list({ filter: { query: 'a ' } }).total).toBe(RUNS);
    // A letter nothing starts with finds nothing (and no notice: it is a real search).
    const none = list({ filter: { query: 'y' } });
    expect(none.items).toEqual([]);
    expect(none.notice ?? null).toBeNull();
  });

  it('a trailing star asks for words starting with it anywhere in the query', () => {
    const expand = (prefix: string) => (prefix === 'cand' ? ['candidate'] : []);
    expect(toFtsQuery('cand* nurse', expand)).toBe('("cand" OR "candidate") AND "nurse"');
    expect(toFtsQuery('cand nurse', expand)).toBe('"cand" AND "nurse"');
    expect(list({ filter: { query: 'cand* nurse ' } }).total).toBe(RUNS / 10);
  });
});

interface Shape {
  name: string;
  request: HistoryListRequest;
  /** Must appear in the plan of the page query. */
  page: RegExp[];
  /** Must appear in the plan of the count query, when there is one. */
  count?: RegExp[];
}

const SHAPES: Shape[] = [
  // The page walks the date index and probes the search index per run: never a sort of every match.
  { name: '3-letter prefix of a common word', request: { filter: { query: 'can' } }, page: [/SEARCH r USING INDEX runs_history_live \(deleted_at=\?\)/, /SCAN f EXISTS VIRTUAL TABLE/] },
  { name: 'phrase of common words', request: { filter: { query: '"the candidate"' } }, page: [/SEARCH r USING INDEX runs_history_live/, /SCAN f EXISTS VIRTUAL TABLE/] },
  {
    name: 'common word + status',
    request: { filter: { query: 'the', statuses: ['failed'] } },
    page: [/SEARCH r USING INDEX runs_history_status \(status=\? AND deleted_at=\?\)/],
    count: [/USING (COVERING )?INDEX runs_history_(live_)?status \((status=\? AND deleted_at=\?|deleted_at=\? AND status=\?)\)/],
  },
  {
    name: 'common word + model',
    request: { filter: { query: 'the', models: [MODELS[1]] } },
    page: [/arm_outputs/, /USING (COVERING )?INDEX (arm_outputs_model|sqlite_autoindex_arm_outputs_1)/],
  },
  {
    name: 'common word + thumbs up',
    request: { filter: { query: 'the', rating: 'up' } },
    page: [/SEARCH ar USING COVERING INDEX arm_ratings_thumb \(thumb=\?\)/],
    count: [/SEARCH ar USING COVERING INDEX arm_ratings_thumb/],
  },
  {
    name: 'common word + min stars',
    request: { filter: { query: 'the', minStars: 4 } },
    page: [/SEARCH ar USING COVERING INDEX arm_ratings_stars \(stars>\?\)/],
  },
  // A rare word: the set of its few matches is gathered once and the date index probes it.
  { name: 'rare word', request: { filter: { query: 'nurse' } }, page: [/SEARCH r USING INDEX runs_history_live/, /LIST SUBQUERY/, /SCAN history_fts VIRTUAL TABLE/] },
];

describe('query plans of the history queries', () => {
  for (const shape of SHAPES) {
    it(`${shape.name} uses the intended indexes`, () => {
      seen = [];
      const page = list(shape.request);
      expect(page.items.length).toBeGreaterThan(0);
      const plans = seen.map(({ sql, params }) => ({
        sql,
        plan: (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join('\n'),
      }));
      const pagePlan = plans.find((p) => p.sql.startsWith('SELECT r.rowid AS rid'))!.plan;
      for (const pattern of shape.page) expect(pagePlan, shape.name).toMatch(pattern);
      // No query reads every run in table order, and none sorts the matches.
      for (const { plan } of plans) {
        expect(plan, shape.name).not.toMatch(/SCAN r\b(?! USING)/);
        expect(plan, shape.name).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
      }
      if (shape.count) {
        const countPlan = plans.find((p) => p.sql.startsWith('SELECT COUNT(*)'))?.plan ?? '';
        for (const pattern of shape.count) expect(countPlan, shape.name).toMatch(pattern);
      }
    });
  }

  it('facets read the counters, not the runs', () => {
    const sql = 'SELECT kind, value, n FROM history_facet_counts WHERE n > 0 ORDER BY kind, value';
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('\n');
    expect(plan).toMatch(/history_facet_counts/);
    expect(plan).not.toMatch(/\bruns\b|arm_outputs/);
    expect(history.facets().live).toBe(RUNS);
  });
});
