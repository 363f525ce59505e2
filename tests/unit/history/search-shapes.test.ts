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
  /** Must not appear in the plan of the count query. */
  countNot?: RegExp[];
}

const SHAPES: Shape[] = [
  // The page walks the date index and probes the search index per run: never a sort of every match.
  { name: '3-letter prefix of a common word', request: { filter: { query: 'can' } }, page: [/SEARCH r USING INDEX runs_history_live \(deleted_at=\?\)/, /SCAN f EXISTS VIRTUAL TABLE/] },
  { name: 'phrase of common words', request: { filter: { query: '"the candidate"' } }, page: [/SEARCH r USING INDEX runs_history_live/, /SCAN f EXISTS VIRTUAL TABLE/] },
  {
    name: 'common word + status',
    request: { filter: { query: 'the', statuses: ['failed'] } },
    page: [/SEARCH r USING INDEX runs_history_status \(status=\? AND deleted_at=\?\)/],
    // counted from the search index read in order, each match's run found by rowid: no probe per run
    count: [/SCAN history_fts VIRTUAL TABLE/, /SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/],
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
    // the count reads the matches in index order and tests each rowid against the set of
    // thumbed-up runs (gathered once from the ratings' index) before reading its run row: no
    // probe of the search index per run, no gathering of every match
    count: [/SCAN f VIRTUAL TABLE/, /SEARCH ar USING COVERING INDEX arm_ratings_thumb \(thumb=\?\)/, /LIST SUBQUERY/, /SEARCH r USING INTEGER PRIMARY KEY/],
    countNot: [/SCAN f EXISTS/, /SEARCH r USING (COVERING )?INDEX runs_history_live/],
  },
  {
    name: 'common word + unrated',
    request: { filter: { query: 'candidate', rating: 'unrated' } },
    page: [/SEARCH r USING INDEX runs_history_live/],
    count: [/SCAN history_fts VIRTUAL TABLE/, /SEARCH r USING INTEGER PRIMARY KEY/],
    countNot: [/SEARCH x USING/, /SCAN f EXISTS/],
  },
  {
    name: 'phrase + status + model',
    request: { filter: { query: '"the candidate"', statuses: ['completed'], models: [MODELS[0]] } },
    page: [/SEARCH r USING INDEX runs_history_status/],
    count: [/SCAN history_fts VIRTUAL TABLE/, /SEARCH r USING INTEGER PRIMARY KEY/],
  },
  {
    name: 'common word + min stars',
    request: { filter: { query: 'the', minStars: 4 } },
    page: [/SEARCH ar USING COVERING INDEX arm_ratings_stars \(stars>\?\)/],
    count: [/SCAN f VIRTUAL TABLE/, /SEARCH ar USING COVERING INDEX arm_ratings_stars \(stars>\?\)/, /SEARCH r USING INTEGER PRIMARY KEY/],
    countNot: [/SCAN f EXISTS/, /SEARCH r USING (COVERING )?INDEX runs_history_live/],
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
        for (const pattern of shape.countNot ?? []) expect(countPlan, shape.name).not.toMatch(pattern);
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

describe('a model or technique many arms use, without a search', () => {
  const cases: { filter: Partial<HistoryListRequest['filter']>; where: string }[] = [
    { filter: { models: [MODELS[3]] }, where: `EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.model_id = '${MODELS[3]}')` },
    { filter: { techniques: ['counterfactual'] }, where: "EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.technique = 'counterfactual')" },
    {
      filter: { statuses: ['failed'], models: [MODELS[0], MODELS[1]], techniques: ['bias-guard'] },
      where: `r.status = 'failed' AND EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.model_id IN ('${MODELS[0]}', '${MODELS[1]}'))
        AND EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.technique = 'bias-guard')`,
    },
  ];
  it('is counted from the arms’ index (distinct runs), with the same total and first page as the plain query', () => {
    const queries: { sql: string; params: readonly unknown[] }[] = [];
    // armSetLimit 0: every model and technique counts as used by many arms, as at 100k runs.
    const repo = createHistoryRepo(db, Date.now, { armSetLimit: 0, onQuery: (sql, params) => queries.push({ sql, params }) });
    for (const { filter, where } of cases) {
      queries.length = 0;
      const expected = db
        .prepare(`SELECT r.id FROM runs r WHERE r.deleted_at IS NULL AND ${where} ORDER BY r.started_at DESC, r.rowid DESC`)
        .pluck()
        .all() as string[];
      expect(expected.length).toBeGreaterThan(0);
      const page = repo.list(HistoryListRequest.parse({ filter, limit: 25 }));
      const label = JSON.stringify(filter);
      expect(page.total, label).toBe(expected.length);
      expect(page.items.map((item) => item.id), label).toEqual(expected.slice(0, 25));
      const count = queries.find((q) => q.sql.startsWith('SELECT COUNT(*)'))!;
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${count.sql}`).all(...count.params) as { detail: string }[]).map((row) => row.detail).join('\n');
      expect(plan, label).toMatch(/SEARCH a USING COVERING INDEX arm_outputs_(model|technique)/);
      expect(plan, label).toMatch(/SEARCH r USING INDEX sqlite_autoindex_runs_1 \(id=\?\)/);
      expect(plan, label).not.toMatch(/SEARCH r USING (COVERING )?INDEX runs_history_live/);
    }
  });
});

describe('a search with other filters counts and pages the same whichever way it is counted', () => {
  // The reference: every match, filtered and sorted the plain way.
  const NOT_RATED = `NOT EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND (ar.thumb IS NOT NULL OR ar.stars IS NOT NULL))
    AND NOT EXISTS (SELECT 1 FROM run_ratings rr WHERE rr.run_id = r.id AND rr.preferred_arm IS NOT NULL)`;
  const cases: { request: HistoryListRequest; match: string; where: string }[] = [
    { request: { filter: { query: 'the ', statuses: ['failed'] } }, match: '"the"', where: "r.status = 'failed'" },
    { request: { filter: { query: 'the ', statuses: ['completed'] } }, match: '"the"', where: "r.status = 'completed'" },
    { request: { filter: { query: 'candidate ', rating: 'unrated' } }, match: '"candidate"', where: NOT_RATED },
    // only sets of runs: counted from the matches in index order, tested by rowid
    { request: { filter: { query: 'the ', rating: 'up' } }, match: '"the"', where: 'EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.thumb = 1)' },
    { request: { filter: { query: 'nurse ', minStars: 5 } }, match: '"nurse"', where: 'EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.stars >= 5)' },
    { request: { filter: { query: 'the ', rating: 'down', minStars: 3 } }, match: '"the"', where: 'EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.thumb = -1) AND EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.stars >= 3)' },
    {
      request: { filter: { query: 'the ', rating: 'up', models: [MODELS[1]] } },
      match: '"the"',
      where: `EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.thumb = 1)
        AND EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.model_id = '${MODELS[1]}')`,
    },
    { request: { filter: { query: '"the candidate"', statuses: ['cancelled'], minStars: 2 } }, match: '"the candidate"', where: "r.status = 'cancelled' AND EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.stars >= 2)" },
    { request: { filter: { query: 'the ', statuses: ['failed'], minStars: 5, models: [MODELS[3]] } }, match: '"the"', where: `r.status = 'failed' AND EXISTS (SELECT 1 FROM arm_ratings ar WHERE ar.run_id = r.id AND ar.stars >= 5) AND EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.model_id = '${MODELS[3]}')` },
  ];

  for (const scanMatches of [undefined, 50]) {
    it(`totals and first pages equal the plain query (${scanMatches ? `gathering after ${scanMatches} matches` : 'reading matches in order'})`, () => {
      const repo = createHistoryRepo(db, Date.now, { scanMatches });
      for (const { request, match, where } of cases) {
        const expected = db
          .prepare(
            `SELECT r.id FROM runs r WHERE r.deleted_at IS NULL AND r.rowid IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?) AND ${where}
             ORDER BY r.started_at DESC, r.rowid DESC`,
          )
          .pluck()
          .all(match) as string[];
        const page = repo.list(HistoryListRequest.parse({ ...request, limit: 25 }));
        const label = JSON.stringify(request.filter);
        expect(page.total, label).toBe(Math.min(expected.length, 1000));
        expect(page.totalCapped, label).toBe(expected.length > 1000);
        expect(page.items.map((item) => item.id), label).toEqual(expected.slice(0, 25));
      }
    });
  }

  it('a filtered search that nothing passes answers from its count, with no page query', () => {
    const queries: string[] = [];
    const repo = createHistoryRepo(db, Date.now, { onQuery: (sql) => queries.push(sql) });
    // no generated run is still running
    const page = repo.list(HistoryListRequest.parse({ filter: { query: 'the ', statuses: ['running'], starred: true } }));
    const plain = db.prepare("SELECT COUNT(*) FROM runs WHERE status = 'running'").pluck().get();
    expect(plain).toBe(0);
    expect(page.total).toBe(0);
    expect(page.items).toEqual([]);
    expect(queries.some((sql) => sql.startsWith('SELECT r.rowid AS rid'))).toBe(false);
  });
});
