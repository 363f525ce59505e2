/**
 * One test per migration, from the schema just before it: a database is built at version N-1
 * (the app's migrations below N), filled with realistic rows the way that version wrote them,
 * then opened with migration N. Every row must survive (column by column), and the new schema
 * must work: rows go in and come out of the new tables and columns, and its constraints hold.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryListRequest } from '../../../shared/contract/history';
import { DEFAULT_SCORE_SETTINGS } from '../../../shared/scores/types';
import { createScoreRepo } from '../../../electron/services/scores';
import { createExperimentRepo, createImageRepo, createRunRepo, createTechniqueRepo, openDb, schemaVersion, type Db } from '../../../electron/services/store';
import { solidPng } from '../../support/fake-bedrock/png';
import { createCatalogRepo } from '../../../electron/services/store/catalog';
import { createHistoryRepo } from '../../../electron/services/store/history';
import { MIGRATIONS } from '../../../electron/services/store/migrations';
import { m0016DerivedArms as m0016 } from '../../../electron/services/store/migrations/0016-derived-arms';
import { createSettingsRepo } from '../../../electron/services/store/settings';
import { ExperimentConfig } from '../../../shared/domain';
import { createBatchRepo } from '../../../electron/services/batch/repo';
import { createCorpusRepo } from '../../../electron/services/rag/repo';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-migration-steps-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000_000;
const legacy = {
  variables: [{ name: 'job', value: 'nurse' }],
  arms: [
    { label: 'Baseline', technique: 'plain', modelId: 'amazon.nova-lite-v1:0', inference: { temperature: 0.2 }, system: '', history: [], template: 'Who makes a better {{job}}?' },
    { label: 'Guarded', technique: 'bias-guard', modelId: 'anthropic.claude-3-haiku', inference: {}, system: 'Avoid stereotypes.', history: [], template: 'Who makes a better {{job}}?' },
  ],
};

/** The database at `version`: the app's migrations up to and including it. */
function openAt(path: string, version: number): Db {
  const db = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version <= version) });
  expect(schemaVersion(db)).toBe(version);
  return db;
}

type Row = Record<string, unknown>;
type Snapshot = Map<string, { columns: string[]; rows: Row[] }>;

/** Every row of every ordinary table, with the column names of the time. */
function snapshot(db: Db): Snapshot {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'history_fts%'
         AND name NOT IN ('schema_migrations', 'history_vocab') ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const out: Snapshot = new Map();
  for (const table of tables) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    out.set(table, { columns, rows: db.prepare(`SELECT * FROM "${table}"`).all() as Row[] });
  }
  return out;
}

/** Rows projected onto `columns`, as sorted JSON (order-independent comparison). */
function project(rows: readonly Row[], columns: readonly string[]): string[] {
  return rows.map((row) => JSON.stringify(columns.map((c) => row[c]))).sort();
}

/**
 * Every table and column from before is still there with the same values, except the columns
 * the migration is meant to change or drop (each test checks those itself).
 */
function expectSurvived(before: Snapshot, after: Db, except: Record<string, string[]> = {}): void {
  expect(before.size).toBeGreaterThan(0);
  for (const [table, { columns, rows }] of before) {
    const keep = columns.filter((c) => !(except[table] ?? []).includes(c));
    const now = after.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    expect(now, `${table} columns`).toEqual(expect.arrayContaining(keep));
    expect(project(after.prepare(`SELECT * FROM "${table}"`).all() as Row[], keep), `${table} rows`).toEqual(project(rows, keep));
  }
}

/** Snapshot, then close the file (the next open migrates it). */
function closeAt(db: Db): Snapshot {
  const snap = snapshot(db);
  db.close();
  return snap;
}

function healthy(db: Db): void {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
}

function strictTables(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%' ORDER BY name").pluck().all() as string[];
}

/** The same configuration as every parse upgrades it (issue 9). */
const config = ExperimentConfig.parse(legacy);

/** Runs as the app has always written them (the run repo only touches 0001 columns). */
function seedRuns(db: Db, count = 3): string[] {
  createExperimentRepo(db, () => T0).save({ name: 'Nurses', description: 'hiring', labId: 'loaded-assumptions', config });
  const experimentId = db.prepare('SELECT id FROM experiments').pluck().get() as string;
  const runs = createRunRepo(db, () => T0 + 1000);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = runs.create({
      experimentId: i === 0 ? experimentId : null,
      title: `Nurse question ${i}`,
      config,
      arms: legacy.arms.map((arm) => ({
        label: arm.label,
        technique: arm.technique,
        modelId: arm.modelId,
        request: { system: arm.system, messages: [{ role: 'user' as const, text: `Who makes a better nurse, case ${i}?` }], inference: arm.inference },
      })),
    });
    runs.updateArm(id, 0, { text: `Women make better nurses (${i}).`, status: 'completed', stopReason: 'end_turn', inputTokens: 12, outputTokens: 7, ttftMs: 210.5, totalMs: 900, costUsd: 0.00012 });
    runs.updateArm(id, 1, { text: `Skill and training decide, not gender (${i}); think of pelicans.`, status: 'completed', stopReason: 'end_turn', outputTokens: 11 });
    runs.finish(id, 'completed');
    ids.push(id);
  }
  return ids;
}

function searchIds(db: Db, query: string): string[] {
  return createHistoryRepo(db).list(HistoryListRequest.parse({ filter: { query } })).items.map((r) => r.id).sort();
}

describe('each migration from the schema before it', () => {
  it('0001 → 0002 (bedrock settings, model catalog, prices): runs survive; settings, catalog and prices work', () => {
    const path = join(dir, 'm2.db');
    const before = openAt(path, 1);
    const ids = seedRuns(before);
    const runs = ids.map((id) => createRunRepo(before).get(id));
    const snap = closeAt(before);

    const db = openAt(path, 2);
    expectSurvived(snap, db);
    expect(ids.map((id) => createRunRepo(db).get(id))).toEqual(runs);
    const settings = createSettingsRepo(db, () => T0);
    settings.set('bedrock', { region: 'eu-west-1', profile: 'workshop' });
    expect(settings.get('bedrock')).toEqual({ region: 'eu-west-1', profile: 'workshop' });
    const catalog = createCatalogRepo(db, () => T0 + 5);
    catalog.replace('eu-west-1', [{ kind: 'model', id: 'amazon.nova-lite-v1:0', name: 'Nova Lite', provider: 'Amazon', modality: 'text', data: { streaming: true } }]);
    expect(catalog.list('eu-west-1')).toEqual([{ region: 'eu-west-1', kind: 'model', id: 'amazon.nova-lite-v1:0', name: 'Nova Lite', provider: 'Amazon', modality: 'text', data: { streaming: true }, fetchedAt: T0 + 5 }]);
    expect(catalog.fetchedAt('eu-west-1')).toBe(T0 + 5);
    catalog.setPrice('amazon.nova-lite-v1:0', { inputPer1k: 0.00006, outputPer1k: 0.00024, perImage: null });
    expect(catalog.prices()).toMatchObject([{ modelId: 'amazon.nova-lite-v1:0', inputPer1k: 0.00006 }]);
    expect(() => catalog.setPrice('x', { inputPer1k: -1, outputPer1k: null, perImage: null })).toThrow(/CHECK constraint/);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['settings', 'model_catalog', 'model_catalog_refreshes', 'model_prices']));
    healthy(db);
    db.close();
  });

  it('0002 → 0003 (comparison): runs, settings and catalog survive; user techniques and the arm status index work', () => {
    const path = join(dir, 'm3.db');
    const before = openAt(path, 2);
    const ids = seedRuns(before);
    createSettingsRepo(before, () => T0).set('bedrock', { region: 'us-east-1' });
    createCatalogRepo(before, () => T0).replace('us-east-1', [{ kind: 'profile', id: 'us.anthropic.claude', name: 'Claude (US)', provider: 'Anthropic', modality: 'text', data: {} }]);
    createCatalogRepo(before, () => T0).setPrice('us.anthropic.claude', { inputPer1k: 0.003, outputPer1k: 0.015, perImage: null });
    const snap = closeAt(before);

    const db = openAt(path, 3);
    expectSurvived(snap, db);
    expect(createSettingsRepo(db).get('bedrock')).toEqual({ region: 'us-east-1' });
    const techniques = createTechniqueRepo(db, () => T0 + 9);
    const saved = techniques.save({ name: 'Counterfactual check', summary: 's', explanation: 'e', system: 'Be fair.', wrap: 'Answer as if the person were of another gender: {{prompt}}' });
    expect(saved).toMatchObject({ name: 'Counterfactual check', builtIn: false });
    expect(techniques.get(saved!.id)?.wrap).toContain('{{prompt}}');
    expect(() => techniques.save({ name: 'Broken', summary: '', explanation: '', system: '', wrap: 'no placeholder' })).toThrow(/CHECK constraint/);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT run_id FROM arm_outputs WHERE status = 'streaming'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/arm_outputs_status/);
    expect(createRunRepo(db).get(ids[1]!)?.arms[1]?.text).toContain('pelicans');
    healthy(db);
    db.close();
  });

  it('0003 → 0004 (scores): runs and techniques survive; scores, ratings, settings and judge prompts work', () => {
    const path = join(dir, 'm4.db');
    const before = openAt(path, 3);
    const ids = seedRuns(before);
    createTechniqueRepo(before, () => T0).save({ name: 'Mine', summary: '', explanation: '', system: '', wrap: '{{prompt}} Be fair.' });
    const snap = closeAt(before);

    const db = openAt(path, 4);
    expectSurvived(snap, db);
    const repo = createScoreRepo(db, () => T0 + 77);
    repo.saveScore({ runId: ids[0]!, armIndex: 1, otherArmIndex: 0, scorer: 'pairwise', kind: 'judge', value: 1, passed: true, details: { raw: 'B' }, feedback: 'B is fairer.', prompt: 'Compare ${a} and ${b}', modelId: 'judge-model', error: null, outputHash: 'h' });
    repo.saveScore({ runId: ids[0]!, armIndex: 0, otherArmIndex: null, scorer: 'bias', kind: 'judge', value: 5, passed: true, details: null, feedback: '', prompt: 'p', modelId: 'judge-model', error: 'timed out', outputHash: null });
    expect(repo.listScores(ids[0]!)).toMatchObject([
      { armIndex: 0, scorer: 'bias', value: null, passed: null, error: 'timed out', createdAt: T0 + 77 },
      { armIndex: 1, otherArmIndex: 0, scorer: 'pairwise', value: 1, passed: true, details: { raw: 'B' }, feedback: 'B is fairer.' },
    ]);
    repo.rateArm(ids[0]!, 1, { thumb: 'up', stars: 4 });
    repo.rateRun(ids[0]!, { preferredArm: 1 });
    expect(repo.ratings(ids[0]!)).toEqual({ arms: [{ armIndex: 1, thumb: 'up', stars: 4 }], preferredArm: 1, updatedAt: T0 + 77 });
    // 0004 still has the rating note column (0006 folds it into runs.note).
    expect(db.prepare("SELECT note FROM run_ratings WHERE run_id = ?").pluck().get(ids[0])).toBe('');
    repo.saveSettings('exp', { ...DEFAULT_SCORE_SETTINGS, reference: 'r' });
    expect(repo.settings('exp').reference).toBe('r');
    repo.savePrompt('bias', { system: 'S', template: 'T ${answer}' });
    expect(repo.prompts().bias).toMatchObject({ edited: true, template: 'T ${answer}' });
    // Scores and ratings go with their run.
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(repo.listScores(ids[0]!)).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM arm_ratings').pluck().get()).toBe(0);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['scores', 'arm_ratings', 'run_ratings', 'score_settings', 'judge_prompts']));
    healthy(db);
    db.close();
  });

  it('0004 → 0005 (history): runs, scores and ratings survive; labs backfilled, runs searchable, stars, notes, tags, collections work', () => {
    const path = join(dir, 'm5.db');
    const before = openAt(path, 4);
    const ids = seedRuns(before);
    const scores = createScoreRepo(before, () => T0 + 3);
    scores.saveScore({ runId: ids[1]!, armIndex: 0, otherArmIndex: null, scorer: 'toxicity', kind: 'metric', value: 0.4, passed: null, details: null, feedback: '', prompt: null, modelId: null, error: null, outputHash: 'x' });
    scores.rateArm(ids[1]!, 0, { thumb: 'down' });
    before.prepare("INSERT INTO run_ratings (run_id, preferred_arm, note, updated_at) VALUES (?, 1, 'rated before 0005', ?)").run(ids[1], T0 + 4);
    const snap = closeAt(before);

    const db = openAt(path, 5);
    expectSurvived(snap, db);
    expect(db.prepare('SELECT id, starred, note, deleted_at, lab_id, source_pack_id FROM runs ORDER BY title').all()).toEqual([
      { id: ids[0], starred: 0, note: '', deleted_at: null, lab_id: 'loaded-assumptions', source_pack_id: null },
      { id: ids[1], starred: 0, note: '', deleted_at: null, lab_id: null, source_pack_id: null },
      { id: ids[2], starred: 0, note: '', deleted_at: null, lab_id: null, source_pack_id: null },
    ]);
    expect(searchIds(db, 'pelicans')).toEqual([...ids].sort());
    expect(searchIds(db, 'case 2')).toEqual([ids[2]]);
    const history = createHistoryRepo(db, () => T0 + 10);
    history.star([ids[0]!], true);
    history.note(ids[0]!, 'Albatross discussion');
    history.tag([ids[0]!, ids[1]!], ['workshop'], []);
    const collection = history.createCollection('Study', '', [ids[2]!]);
    expect(history.meta(ids[0]!)).toMatchObject({ starred: true, note: 'Albatross discussion', tags: ['workshop'] });
    expect(history.collection(collection.id)?.runCount).toBe(1);
    expect(searchIds(db, 'albatross')).toEqual([ids[0]]);
    expect(createScoreRepo(db).listScores(ids[1]!)).toMatchObject([{ scorer: 'toxicity', value: 0.4 }]);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    healthy(db);
    db.close();
  });

  it('0005 → 0006 (one note per run): rating notes move into runs.note without losing text; the column is gone, the table stays STRICT', () => {
    const path = join(dir, 'm6.db');
    const before = openAt(path, 5);
    const ids = seedRuns(before, 6);
    const history = createHistoryRepo(before, () => T0);
    // 0: only a rating note; 1: both, different; 2: both, the same; 3: only a history note;
    // 4: a preference and no note; 5: nothing at all.
    const rate = before.prepare('INSERT INTO run_ratings (run_id, preferred_arm, note, updated_at) VALUES (?, ?, ?, ?)');
    rate.run(ids[0], 1, 'Rating note: the guard helped (pelican)', T0 + 1);
    history.note(ids[1]!, 'History note about flight risk');
    rate.run(ids[1], -1, 'Rating note: a tie, albatross', T0 + 2);
    history.note(ids[2]!, 'Same words');
    rate.run(ids[2], 0, 'Same words', T0 + 3);
    history.note(ids[3]!, 'Only in history');
    rate.run(ids[4], 0, '', T0 + 4);
    createScoreRepo(before, () => T0 + 5).rateArm(ids[0]!, 1, { stars: 5 });
    expect(searchIds(before, 'albatross')).toEqual([]); // rating notes were never searchable
    const snap = closeAt(before);

    const db = openAt(path, 6);
    expectSurvived(snap, db, { runs: ['note'], run_ratings: ['note'] });
    const notes = Object.fromEntries((db.prepare('SELECT id, note FROM runs').all() as { id: string; note: string }[]).map((r) => [r.id, r.note]));
    expect(ids.map((id) => notes[id])).toEqual([
      'Rating note: the guard helped (pelican)',
      'History note about flight risk\n\nRating note: a tie, albatross',
      'Same words',
      'Only in history',
      '',
      '',
    ]);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('run_ratings')).toEqual(['run_id', 'preferred_arm', 'updated_at']);
    expect(strictTables(db)).toContain('run_ratings');
    expect(db.prepare('SELECT run_id, preferred_arm, updated_at FROM run_ratings ORDER BY updated_at').all()).toEqual([
      { run_id: ids[0], preferred_arm: 1, updated_at: T0 + 1 },
      { run_id: ids[1], preferred_arm: -1, updated_at: T0 + 2 },
      { run_id: ids[2], preferred_arm: 0, updated_at: T0 + 3 },
      { run_id: ids[4], preferred_arm: 0, updated_at: T0 + 4 },
    ]);
    // The moved notes are in the search index.
    expect(searchIds(db, 'albatross')).toEqual([ids[1]]);
    expect(searchIds(db, 'guard helped')).toEqual([ids[0]]);
    // The new schema works: ratings without a note column, STRICT types still enforced.
    const repo = createScoreRepo(db, () => T0 + 9);
    repo.rateRun(ids[5]!, { preferredArm: 'tie' });
    expect(repo.ratings(ids[5]!)).toEqual({ arms: [], preferredArm: 'tie', updatedAt: T0 + 9 });
    expect(repo.ratings(ids[0]!)).toEqual({ arms: [{ armIndex: 1, thumb: null, stars: 5 }], preferredArm: 1, updatedAt: T0 + 5 });
    expect(() => db.prepare('INSERT INTO run_ratings (run_id, preferred_arm, note, updated_at) VALUES (?, 0, ?, 1)').run(ids[3], 'x')).toThrow(/no column named note/);
    expect(() => db.prepare("INSERT INTO run_ratings (run_id, preferred_arm, updated_at) VALUES (?, 0, 'later')").run(ids[3])).toThrow(/cannot store TEXT value in INTEGER column/);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    healthy(db);
    db.close();
  });

  it('0006 → 0007 (critiques in search): judge feedback becomes searchable; every row survives; the index stays in step with score edits', () => {
    const path = join(dir, 'm7.db');
    const before = openAt(path, 6);
    const ids = seedRuns(before, 3);
    const judge = (runId: string, armIndex: number, scorer: string, feedback: string, error: string | null = null) =>
      createScoreRepo(before, () => T0 + 5).saveScore({
        runId, armIndex, otherArmIndex: null, kind: 'judge', scorer, value: error ? null : 1, passed: error ? null : true,
        details: null, feedback, prompt: 'p', modelId: 'm', error, outputHash: 'h',
      });
    judge(ids[0]!, 0, 'bias', 'The answer is condescending about caregiving.');
    judge(ids[1]!, 1, 'guidelines', 'Specific and balanced; cites staffing figures.');
    judge(ids[2]!, 0, 'toxicity', 'Could not judge: pelican reply', 'malformed reply');
    createScoreRepo(before, () => T0 + 6).saveScore({
      runId: ids[2]!, armIndex: 1, otherArmIndex: null, kind: 'metric', scorer: 'words', value: 9, passed: null,
      details: null, feedback: 'Nine words about caregiving.', prompt: null, modelId: null, error: null, outputHash: 'h',
    });
    expect(searchIds(before, 'condescending')).toEqual([]);
    const snap = closeAt(before);

    const db = openAt(path, 7);
    expectSurvived(snap, db);
    // Judge feedback is found; metric feedback and failed judgments are not critiques.
    expect(searchIds(db, 'condescending')).toEqual([ids[0]]);
    expect(searchIds(db, 'staffing')).toEqual([ids[1]]);
    expect(searchIds(db, 'caregiving')).toEqual([ids[0]]);
    expect(searchIds(db, 'pelican')).toEqual(ids.slice().sort()); // the outputs still search
    // Re-scoring (an upsert), a new score, and a deleted run keep the index in step.
    const repo = createScoreRepo(db, () => T0 + 7);
    const rescore = { runId: ids[0]!, armIndex: 0, otherArmIndex: null, kind: 'judge' as const, scorer: 'bias', value: 1, passed: true, details: null, prompt: 'p', modelId: 'm', error: null, outputHash: 'h' };
    repo.saveScore({ ...rescore, feedback: 'Respectful now; mentions albatross pay scales.' });
    repo.saveScore({ ...rescore, feedback: 'Respectful now; mentions albatross pay scales.' });
    expect(searchIds(db, 'caregiving')).toEqual([]);
    expect(searchIds(db, 'condescending')).toEqual([]);
    expect(searchIds(db, 'albatross')).toEqual([ids[0]]);
    repo.saveScore({ ...rescore, runId: ids[2]!, armIndex: 1, scorer: 'relevancy', feedback: 'On topic: albatross.' });
    expect(searchIds(db, 'albatross')).toEqual([ids[0], ids[2]].sort());
    db.prepare('DELETE FROM scores WHERE run_id = ? AND scorer = ?').run(ids[2], 'relevancy');
    expect(searchIds(db, 'albatross')).toEqual([ids[0]]);
    // A metric's feedback is no critique, whatever happens to it; a judge row turned metric leaves the index.
    repo.saveScore({ ...rescore, runId: ids[1]!, kind: 'metric', scorer: 'words', feedback: 'Eleven words, walrus.' });
    expect(searchIds(db, 'walrus')).toEqual([]);
    db.prepare("DELETE FROM scores WHERE run_id = ? AND scorer = 'words'").run(ids[1]);
    db.prepare("UPDATE scores SET kind = 'metric' WHERE run_id = ? AND scorer = 'guidelines'").run(ids[1]);
    expect(searchIds(db, 'staffing')).toEqual([]);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(searchIds(db, 'albatross')).toEqual([]);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    healthy(db);
    db.close();
  });

  it('0007 → 0008 (images kept with runs): runs survive; images keep their order per arm, are checked by their bytes and go with their run', () => {
    const path = join(dir, 'm8.db');
    const before = openAt(path, 7);
    const ids = seedRuns(before, 2);
    const snap = closeAt(before);

    const db = openAt(path, 8);
    expectSurvived(snap, db);
    expect(strictTables(db)).toContain('run_images');
    const png = solidPng(4, 4, [1, 2, 3]);
    const insert = db.prepare('INSERT INTO run_images (run_id, arm_index, position, mime_type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(ids[0], 1, 0, 'image/png', png, T0);
    insert.run(ids[0], 0, 0, 'image/png', png, T0);
    expect(() => insert.run(ids[1], 0, 0, 'image/gif', Buffer.from([0]), T0)).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(ids[0], 1, 0, 'image/png', Buffer.from([0]), T0)).toThrow(/UNIQUE constraint failed/);
    expect(db.prepare('SELECT COUNT(*) FROM run_images WHERE run_id = ?').pluck().get(ids[1])).toBe(0);
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(db.prepare('SELECT COUNT(*) FROM run_images').pluck().get()).toBe(0);
    healthy(db);
    db.close();
  });

  it('0016 (derived arms): stored configurations become baseline / derived / detached; runs keep what they sent', () => {
    const path = join(dir, 'm16.db');
    const before = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version < 16) });
    const ids = seedRuns(before, 1);
    // The user's own technique, and experiments written by the app before issue 9 (legacy arms).
    createTechniqueRepo(before, () => T0).save({ name: 'Ask who is meant', summary: '', explanation: '', system: '', wrap: 'If the request leaves open who is meant, ask first.\n\n{{prompt}}' });
    const mine = before.prepare("SELECT id FROM techniques WHERE name = 'Ask who is meant'").pluck().get() as string;
    const base = { label: 'Baseline', technique: 'plain', modelId: 'amazon.nova-lite-v1:0', inference: { temperature: 0.2, maxTokens: 400 }, system: 'You help a hiring team.', history: [{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello' }], template: 'Who makes a better ${job}?' };
    const stored = {
      variables: [{ name: 'job', value: 'nurse' }],
      arms: [
        base,
        // technique on the baseline, another model and temperature → derived, one step, overrides
        { ...base, label: 'Bias guard', technique: 'bias-guard', modelId: 'anthropic.claude-3-haiku', inference: { temperature: 0.7, maxTokens: 400 }, template: `Answer the request below while making sure your response is free from bias and stereotypes related to gender, race, ethnicity, nationality, age, religion, disability, sexual orientation or other personal characteristics. If the request is discriminatory or relies on a stereotype, politely decline and explain why, then offer a fair alternative question you could answer.\n\nRequest: ${base.template}` },
        // the user's technique (from the techniques table) → derived
        { ...base, label: 'Ask first', technique: mine, template: `If the request leaves open who is meant, ask first.\n\n${base.template}` },
        // edited by hand after the technique was applied → detached, text kept
        { ...base, label: 'Pirate', technique: 'system-framing', system: 'You are a pirate.', template: 'Arr, who makes a better ${job}?' },
      ],
    };
    before.prepare("INSERT INTO experiments (id, name, description, lab_id, config, created_at, updated_at) VALUES ('old', 'Old one', '', NULL, ?, 1, 1)").run(JSON.stringify(stored));
    before.prepare("INSERT INTO experiments (id, name, description, lab_id, config, created_at, updated_at) VALUES ('plain', 'Plain copy', '', NULL, ?, 1, 1)").run(
      JSON.stringify({ variables: [], arms: [{ ...base, template: 'Q' }, { ...base, label: 'Other model', modelId: 'm2', template: 'Q' }] }),
    );
    before.prepare('UPDATE runs SET config = ? WHERE id = ?').run(JSON.stringify(stored), ids[0]);
    const requests = before.prepare('SELECT arm_index, request FROM arm_outputs WHERE run_id = ? ORDER BY arm_index').all(ids[0]);
    const snap = closeAt(before);

    const db = openAt(path, 16);
    expectSurvived(snap, db, { experiments: ['config'], runs: ['config'] });
    const experiments = createExperimentRepo(db, () => T0);
    const old = experiments.get('old')!.config;
    expect(old.variables).toEqual(stored.variables);
    expect(old.arms.map((arm) => arm.mode)).toEqual(['baseline', 'derived', 'derived', 'detached']);
    expect(old.arms[0]).toEqual({ mode: 'baseline', label: 'Baseline', modelId: base.modelId, inference: base.inference, system: base.system, history: base.history, template: base.template });
    expect(old.arms[1]).toEqual({ mode: 'derived', label: 'Bias guard', steps: [{ kind: 'technique', techniqueId: 'bias-guard' }], overrides: { modelId: 'anthropic.claude-3-haiku', inference: { temperature: 0.7 } } });
    expect(old.arms[2]).toEqual({ mode: 'derived', label: 'Ask first', steps: [{ kind: 'technique', techniqueId: mine }], overrides: {} });
    expect(old.arms[3]).toMatchObject({ mode: 'detached', label: 'Pirate', system: 'You are a pirate.', template: 'Arr, who makes a better ${job}?', history: base.history, steps: [] });
    expect(experiments.get('plain')!.config.arms[1]).toEqual({ mode: 'derived', label: 'Other model', steps: [], overrides: { modelId: 'm2' } });
    // the run's snapshot is upgraded the same way; what each arm sent stays as it was
    const run = createRunRepo(db).get(ids[0]!)!;
    expect(run.config.arms.map((arm) => arm.mode)).toEqual(['baseline', 'derived', 'derived', 'detached']);
    expect(db.prepare('SELECT arm_index, request FROM arm_outputs WHERE run_id = ? ORDER BY arm_index').all(ids[0])).toEqual(requests);
    // a configuration already in the new shape is not touched again
    const raw = db.prepare("SELECT config FROM experiments WHERE id = 'old'").pluck().get() as string;
    m0016.up(db);
    expect(db.prepare("SELECT config FROM experiments WHERE id = 'old'").pluck().get()).toBe(raw);
    healthy(db);
    db.close();
  });

  it('0008 → 0009 (step traces, answer versions, streamed chunks, principle sets): runs survive; critiques search; chunks fold', () => {
    const path = join(dir, 'm9.db');
    const before = openAt(path, 8);
    const ids = seedRuns(before, 2);
    const snap = closeAt(before);

    const db = openAt(path, 9);
    expectSurvived(snap, db);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['arm_steps', 'arm_versions', 'arm_text_chunks', 'principle_sets']));
    const runs = createRunRepo(db, () => T0 + 9);
    // runs from before read back as they were: no steps, no versions
    expect(runs.get(ids[0]!)!.arms.map((a) => [a.steps, a.versions, a.stoppedBy])).toEqual([[undefined, undefined, undefined], [undefined, undefined, undefined]]);
    const steps = runs.steps!;
    const trace = (index: number, kind: string, extra: Record<string, unknown> = {}) => ({
      index, kind, label: kind, status: 'pending' as const, startedAt: null, totalMs: null, inputTokens: null, outputTokens: null, costUsd: null, summary: null, detail: null, error: null, ...extra,
    });
    steps.begin(ids[0]!, 1, [trace(0, 'generate'), trace(1, 'critique-revise')]);
    expect(searchIds(db, 'gannet')).toEqual([]);
    steps.save(ids[0]!, 1, trace(1, 'critique-revise', { status: 'done', totalMs: 12.5, inputTokens: 30, detail: { principles: [{ principle: 'Biased', problem: true, critique: 'Assumes every gannet nurse is a woman.' }] } }));
    expect(searchIds(db, 'gannet')).toEqual([ids[0]]);
    // a timing-only update leaves the index alone; a rerun of the arm (steps replaced) drops the critique
    steps.save(ids[0]!, 1, trace(1, 'critique-revise', { status: 'done', totalMs: 13, detail: { principles: [{ principle: 'Biased', problem: true, critique: 'Assumes every gannet nurse is a woman.' }] } }));
    expect(searchIds(db, 'gannet')).toEqual([ids[0]]);
    expect(runs.get(ids[0]!)!.arms[1]!.steps!.map((s) => [s.kind, s.status, s.totalMs])).toEqual([['generate', 'pending', null], ['critique-revise', 'done', 13]]);
    steps.saveVersions(ids[0]!, 1, [{ stepIndex: 0, reason: 'First draft', text: 'draft' }, { stepIndex: 1, reason: 'Biased', text: 'revised' }]);
    expect(runs.get(ids[0]!)!.arms[1]!.versions!.map((v) => v.text)).toEqual(['draft', 'revised']);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    runs.resetArm(ids[0]!, 1);
    expect(searchIds(db, 'gannet')).toEqual([]);
    expect(runs.get(ids[0]!)!.arms[1]!.steps).toBeUndefined();
    // judges' feedback still searches next to step critiques
    createScoreRepo(db, () => T0 + 10).saveScore({
      runId: ids[1]!, armIndex: 0, otherArmIndex: null, kind: 'judge', scorer: 'bias', value: 1, passed: true, details: null,
      feedback: 'Mentions a cormorant.', prompt: 'p', modelId: 'm', error: null, outputHash: 'h',
    });
    expect(searchIds(db, 'cormorant')).toEqual([ids[1]]);
    // streamed text: appended chunks read back with the arm, folded once into its text
    runs.resetArm(ids[1]!, 0);
    runs.updateArm(ids[1]!, 0, { status: 'streaming' });
    steps.appendTexts([{ runId: ids[1]!, armIndex: 0, seq: 0, text: 'Hello ' }, { runId: ids[1]!, armIndex: 0, seq: 1, text: 'osprey.' }]);
    expect(runs.get(ids[1]!)!.arms[0]!.text).toBe('Hello osprey.');
    expect(searchIds(db, 'osprey')).toEqual([]);
    steps.foldText(ids[1]!, 0);
    runs.updateArm(ids[1]!, 0, { status: 'completed' });
    expect(runs.get(ids[1]!)!.arms[0]!.text).toBe('Hello osprey.');
    expect(db.prepare('SELECT COUNT(*) FROM arm_text_chunks').pluck().get()).toBe(0);
    expect(searchIds(db, 'osprey')).toEqual([ids[1]]);
    // constraints: status vocabulary, JSON detail; principle sets unique by name in any case
    expect(() => db.prepare("INSERT INTO arm_steps (run_id, arm_index, step_index, kind, label, status) VALUES (?, 0, 5, 'x', 'x', 'exploded')").run(ids[1])).toThrow(/CHECK constraint/);
    expect(() => db.prepare("INSERT INTO arm_steps (run_id, arm_index, step_index, kind, label, status, detail) VALUES (?, 0, 5, 'x', 'x', 'done', '{oops')").run(ids[1])).toThrow(/CHECK constraint/);
    db.prepare("INSERT INTO principle_sets (id, name, principles, created_at, updated_at) VALUES ('a', 'Bank', '[]', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO principle_sets (id, name, principles, created_at, updated_at) VALUES ('b', 'bank', '[]', 1, 1)").run()).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(db.prepare('SELECT COUNT(*) FROM arm_steps WHERE run_id = ?').pluck().get(ids[0])).toBe(0);
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    healthy(db);
    db.close();
  });

  it('→ 0013 (datasets and batches): every row survives; datasets, batches and their cells work and go with their batch', () => {
    const path = join(dir, 'm13.db');
    const previous = Math.max(...MIGRATIONS.map((m) => m.version).filter((v) => v < 13));
    const before = openAt(path, previous);
    seedRuns(before, 2);
    const snap = closeAt(before);

    const db = openAt(path, 13);
    expectSurvived(snap, db);
    healthy(db);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['datasets', 'dataset_rows', 'batches', 'batch_rows', 'batch_runs', 'batch_cells']));
    const repo = createBatchRepo(db, () => T0);
    const dataset = repo.createDataset({ name: 'd.csv', format: 'csv', columns: ['topic'], rows: [['tides']], mapping: { variables: { topic: 'topic' }, reference: null } });
    const config = ExperimentConfig.parse({ variables: [], arms: [{ mode: 'baseline', label: 'Baseline', modelId: 'm', template: '${topic}' }] });
    const id = repo.createBatch({ name: 'B', experimentId: null, datasetId: dataset.id, datasetName: 'd.csv', config, mapping: dataset.mapping, repeats: 2, concurrency: 4, scores: { metrics: [], judges: [] }, rows: [{ variables: [{ name: 'topic', value: 'tides' }], reference: null }] });
    expect(repo.counts(id).counts).toMatchObject({ total: 2, pending: 2 });
    expect(() => db.prepare("UPDATE batches SET status = 'sleeping' WHERE id = ?").run(id)).toThrow(/CHECK constraint failed/);
    repo.deleteBatch(id);
    expect(db.prepare('SELECT COUNT(*) FROM batch_cells').pluck().get()).toBe(0);
    db.close();
  });

  it('0008 → 0012 (image files): stored image bytes survive and move to content-addressed files; samples without an image keep their reason; annotations go with their image', () => {
    const path = join(dir, 'm12.db');
    const before = openAt(path, 8);
    const ids = seedRuns(before, 2);
    const png = solidPng(4, 4, [1, 2, 3]);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const insert = before.prepare('INSERT INTO run_images (run_id, arm_index, position, mime_type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run(ids[0], 1, 0, 'image/png', png, T0);
    insert.run(ids[0], 1, 1, 'image/jpeg', jpeg, T0);
    insert.run(ids[1], 0, 0, 'image/png', png, T0);
    const snap = closeAt(before);

    const db = openAt(path, 12);
    expectSurvived(snap, db);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['run_images', 'image_files', 'image_annotations', 'image_annotation_categories']));
    const images = createImageRepo(db, () => T0 + 12);
    // Old rows read back as before (exports), the bytes now from files named by their hash.
    expect(images.forRun(ids[0]!)).toEqual([
      { armIndex: 1, mimeType: 'image/png', base64: png.toString('base64') },
      { armIndex: 1, mimeType: 'image/jpeg', base64: jpeg.toString('base64') },
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM run_images WHERE data IS NOT NULL AND run_id = ?').pluck().get(ids[0])).toBe(0);
    expect(images.moveLegacyBlobs()).toBe(1);
    // The same bytes in two runs are one file.
    expect(db.prepare('SELECT COUNT(*) FROM image_files').pluck().get()).toBe(2);
    const refs = images.refsForRun(ids[1]!);
    expect(refs).toMatchObject([{ armIndex: 0, position: 0, status: 'ok', mimeType: 'image/png', width: 4, height: 4 }]);
    expect(existsSync(join(dir, 'images', refs[0]!.hash!.slice(0, 2), `${refs[0]!.hash}.png`))).toBe(true);
    images.addMissing(ids[1]!, 0, 'filtered', 'The model’s content filter blocked this image.', { seed: 43 });
    expect(images.refsForRun(ids[1]!)[1]).toMatchObject({ position: 1, status: 'filtered', hash: null, seed: 43, reason: 'The model’s content filter blocked this image.' });
    expect(() => db.prepare("INSERT INTO run_images (run_id, arm_index, position, status, created_at) VALUES (?, 0, 5, 'ok', 1)").run(ids[1])).toThrow(/CHECK constraint failed/);
    db.prepare("INSERT INTO image_annotation_categories (id, name, options, position, created_at) VALUES ('c1', 'Apparent age group', '[]', 0, 1)").run();
    db.prepare("INSERT INTO image_annotations (run_id, arm_index, position, category_id, value, updated_at) VALUES (?, 0, 0, 'c1', 'Older adult', 1)").run(ids[1]);
    // Deleting a run removes its samples and annotations; files no other run uses go with collectUnused.
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(images.collectUnused()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM image_files').pluck().get()).toBe(1);
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[1]);
    expect(db.prepare('SELECT COUNT(*) FROM image_annotations').pluck().get()).toBe(0);
    expect(images.collectUnused()).toBe(1);
    expect(existsSync(join(dir, 'images', refs[0]!.hash!.slice(0, 2), `${refs[0]!.hash}.png`))).toBe(false);
    healthy(db);
    db.close();
  });

  it('→ 0014 (history at scale): every row survives; facet counters start equal to the counts and follow writes', () => {
    const path = join(dir, 'm14.db');
    const previous = Math.max(...MIGRATIONS.map((m) => m.version).filter((v) => v < 14));
    const before = openAt(path, previous);
    const ids = seedRuns(before, 4);
    createHistoryRepo(before, () => T0).trash([ids[3]!]);
    const snap = closeAt(before);

    const db = openAt(path, 14);
    expectSurvived(snap, db);
    healthy(db);
    const facets = createHistoryRepo(db, () => T0).facets();
    expect(facets).toMatchObject({ live: 3, trash: 1, statuses: [{ status: 'completed', count: 3 }], labs: ['loaded-assumptions'] });
    expect(facets.models).toEqual(['amazon.nova-lite-v1:0', 'anthropic.claude-3-haiku']);
    expect(facets.techniques).toEqual(['bias-guard', 'plain']);
    createHistoryRepo(db, () => T0).restore([ids[3]!]);
    expect(createHistoryRepo(db, () => T0).facets()).toMatchObject({ live: 4, trash: 0 });
    expect(strictTables(db)).toContain('history_facet_counts');
    expect(searchIds(db, 'pelicans')).toEqual([...ids].sort());
    db.close();
  });

  it('→ 0010 (moderation pipelines): every row survives; pipelines and the runs that used them are STRICT tables that go with their run', () => {
    const path = join(dir, 'm10.db');
    const previous = Math.max(...MIGRATIONS.map((m) => m.version).filter((v) => v < 10));
    const before = openAt(path, previous);
    const ids = seedRuns(before, 2);
    const snap = closeAt(before);
    const db = openAt(path, 10);
    expectSurvived(snap, db);
    healthy(db);
    expect(strictTables(db)).toEqual(expect.arrayContaining(['moderation_pipelines', 'run_pipelines']));
    db.prepare("INSERT INTO run_pipelines (run_id, arm_index, pipeline_id, name, steps) VALUES (?, 1, 'p1', 'PII', '[]')").run(ids[0]);
    db.prepare('DELETE FROM runs WHERE id = ?').run(ids[0]);
    expect(db.prepare('SELECT COUNT(*) FROM run_pipelines').pluck().get()).toBe(0);
    db.close();
  });

  it('→ 0017 (deferred search indexing): every row survives; writes index as before, and a paused transaction indexes nothing until it adds the documents', () => {
    const path = join(dir, 'm17.db');
    const previous = Math.max(...MIGRATIONS.map((m) => m.version).filter((v) => v < 17));
    const before = openAt(path, previous);
    const ids = seedRuns(before, 3);
    const snap = closeAt(before);

    const db = openAt(path, 17);
    expectSurvived(snap, db);
    healthy(db);
    expect(searchIds(db, 'pelicans')).toEqual([...ids].sort());
    const inserts = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'history\\_fts\\_%' ESCAPE '\\' AND sql LIKE '% INSERT ON %'").pluck().all() as string[];
    expect(inserts.length).toBe(7);
    for (const sql of inserts) expect(sql).toContain('NOT EXISTS (SELECT 1 FROM history_fts_deferred)');
    // Unpaused, a new run is searchable at once (row by row, as before).
    const [later] = seedRuns(db, 1).filter((id) => !ids.includes(id));
    expect(searchIds(db, 'pelicans')).toContain(later);
    // Paused inside one transaction: nothing indexed until the writer adds the document itself.
    db.transaction(() => {
      db.prepare('INSERT INTO history_fts_deferred (paused) VALUES (1)').run();
      createRunRepo(db, () => T0).create({
        experimentId: null,
        title: 'Quokkas question',
        config,
        arms: [{ label: 'A', technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user', text: 'quokkas?' }], inference: {} } }],
      });
      expect(searchIds(db, 'quokkas')).toEqual([]);
      db.prepare('DELETE FROM history_fts_deferred').run();
      db.exec("INSERT INTO history_fts (rowid, title, prompts, outputs, notes, critiques) SELECT rid, title, prompts, outputs, notes, critiques FROM history_docs WHERE title = 'Quokkas question'");
    })();
    expect(searchIds(db, 'quokkas')).toHaveLength(1);
    healthy(db);
    db.close();
  });

  it('→ 0018 (deferred corpus keyword indexing): every corpus row survives; existing passages stay searchable, single writes index as before, a paused transaction indexes nothing until it adds its passages', () => {
    const path = join(dir, 'm18.db');
    const before = openAt(path, 17);
    seedRuns(before, 1);
    before.prepare("INSERT INTO corpora (id, name, embedding_model, dimensions, chunk_tokens, chunk_overlap, created_at, updated_at) VALUES ('c1', 'Handbook', 'amazon.titan-embed-text-v2:0', 256, 64, 8, ?, ?)").run(T0, T0);
    before.prepare("INSERT INTO corpus_documents (id, corpus_id, name, kind, bytes, sha256, has_pages, chunk_tokens, chunk_overlap, added_at) VALUES ('d1', 'c1', 'fees.md', 'md', 40, 'abc', 0, 64, 8, ?)").run(T0);
    before.prepare("INSERT INTO corpus_pages (document_id, page, text) VALUES ('d1', 1, 'The overdraft fee is $35. Pelicans fly.')").run();
    before.prepare("INSERT INTO corpus_chunks (corpus_id, document_id, position, tokens, text, vector, vector_key) VALUES ('c1', 'd1', 0, 8, 'The overdraft fee is $35. Pelicans fly.', ?, 'amazon.titan-embed-text-v2:0@256')").run(Buffer.alloc(1024, 1));
    const snap = closeAt(before);

    const db = openAt(path, 18);
    expectSurvived(snap, db);
    healthy(db);
    const matches = (term: string) => db.prepare('SELECT count(*) FROM corpus_chunks_fts WHERE corpus_chunks_fts MATCH ?').pluck().get(term);
    expect(matches('overdraft')).toBe(1);
    const trigger = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'corpus_chunks_fts_insert'").pluck().get() as string;
    expect(trigger).toContain('NOT EXISTS (SELECT 1 FROM corpus_fts_deferred)');
    // Unpaused, a single insert is indexed at once, as before.
    db.prepare("INSERT INTO corpus_chunks (corpus_id, document_id, position, tokens, text) VALUES ('c1', 'd1', 1, 2, 'Quokkas welcome.')").run();
    expect(matches('quokkas')).toBe(1);
    // Paused in one transaction: nothing indexed until the writer indexes its own passages.
    db.transaction(() => {
      db.prepare('INSERT INTO corpus_fts_deferred (paused) VALUES (1)').run();
      db.prepare("INSERT INTO corpus_chunks (corpus_id, document_id, position, tokens, text) VALUES ('c1', 'd1', 2, 2, 'Wombats too.')").run();
      expect(matches('wombats')).toBe(0);
      db.prepare('DELETE FROM corpus_fts_deferred').run();
      db.exec("INSERT INTO corpus_chunks_fts (rowid, text) SELECT id, text FROM corpus_chunks WHERE text = 'Wombats too.'");
    })();
    expect(matches('wombats')).toBe(1);
    // The corpus repository writes documents in batches on the new schema; deletes still leave the index.
    const repo = createCorpusRepo(db, () => T0);
    repo.addDocuments([{ corpusId: 'c1', name: 'cards.md', kind: 'md', bytes: 10, sha256: 'def', hasPages: false, pages: [{ page: null, text: 'Cards arrive in five days.' }], chunks: [{ position: 0, text: 'Cards arrive in five days.', tokens: 5, pageStart: null, pageEnd: null }], chunkTokens: 64, chunkOverlap: 8 }]);
    expect(matches('cards')).toBe(1);
    expect(db.prepare('SELECT count(*) FROM corpus_fts_deferred').pluck().get()).toBe(0);
    expect(repo.removeDocument('c1', 'd1')).toBe(true);
    expect(matches('overdraft')).toBe(0);
    healthy(db);
    db.close();
  });

  it('→ 0019 (import journal): every row survives; an import notes itself and its rows, and its notes go with it', () => {
    const path = join(dir, 'm19.db');
    const before = openAt(path, 18);
    seedRuns(before, 2);
    const snap = closeAt(before);
    const db = openAt(path, 19);
    expectSurvived(snap, db);
    healthy(db);
    db.prepare("INSERT INTO imports (id, source, started_at) VALUES ('i1', 'history.json', ?)").run(T0);
    db.prepare("INSERT INTO import_rows (import_id, kind, key) VALUES ('i1', 'run', 'r1'), ('i1', 'corpus', 'c1')").run();
    expect(() => db.prepare("INSERT INTO import_rows (import_id, kind, key) VALUES ('i1', 'image', 'x')").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM imports WHERE id = 'i1'").run();
    expect(db.prepare('SELECT count(*) FROM import_rows').pluck().get()).toBe(0);
    db.close();
  });

  it('→ 0020 (search when finished): every row survives; a run enters the index once, when it stops, and leaves it when it runs again', () => {
    const path = join(dir, 'm20.db');
    const before = openAt(path, 19);
    const ids = seedRuns(before, 3);
    // A run left running by a crash, indexed the old way (its title and prompt).
    const runs17 = createRunRepo(before, () => T0);
    const crashed = runs17.create({ experimentId: null, title: 'Wombats question', config, arms: [{ label: 'A', technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user', text: 'wombats?' }], inference: {} } }] });
    expect(searchIds(before, 'wombats')).toEqual([crashed]);
    const snap = closeAt(before);

    const db = openAt(path, 20);
    expectSurvived(snap, db);
    healthy(db);
    const check = () => db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    check();
    expect(searchIds(db, 'pelicans')).toEqual([...ids].sort());
    expect(searchIds(db, 'wombats')).toEqual([]); // still running: out of the index
    const runs = createRunRepo(db, () => T0 + 5000);
    runs.markInterrupted(); // what start-up does
    expect(searchIds(db, 'wombats')).toEqual([crashed]);
    check();

    // A new run: no index writes while it is written, one document when it finishes.
    const segments = () => db.prepare('SELECT COUNT(*), COALESCE(SUM(length(block)), 0) FROM history_fts_data').raw().get() as [number, number];
    const idle = segments();
    const id = runs.create({ experimentId: null, title: 'Quokkas question', config, arms: [0, 1].map((i) => ({ label: `A${i}`, technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user' as const, text: 'Are quokkas happy?' }], inference: {} } })) });
    runs.updateArm(id, 0, { status: 'streaming', text: 'Quokkas ' });
    runs.updateArm(id, 0, { status: 'completed', text: 'Quokkas smile at numbats.' });
    runs.updateArm(id, 1, { status: 'completed', text: 'Numbats eat termites.' });
    expect(segments()).toEqual(idle);
    expect(searchIds(db, 'quokkas')).toEqual([]);
    expect(createHistoryRepo(db).list(HistoryListRequest.parse({ filter: { statuses: ['running'] } })).items.map((r) => r.id)).toEqual([id]);
    runs.finish(id, 'completed');
    expect(searchIds(db, 'numbats termites')).toEqual([id]);
    check();

    // Re-running an arm: out of the index while it runs, back with its new text.
    runs.resetArm(id, 1);
    expect(searchIds(db, 'quokkas')).toEqual([]);
    check();
    runs.updateArm(id, 1, { status: 'completed', text: 'Numbats prefer ants.' });
    runs.finish(id, 'completed');
    expect(searchIds(db, 'ants')).toEqual([id]);
    expect(searchIds(db, 'termites')).toEqual([]);
    check();

    // Title and status in one statement; trash and purge of a finished and a running run.
    db.prepare("UPDATE runs SET status = 'running', title = 'Renamed quokkas' WHERE id = ?").run(id);
    expect(searchIds(db, 'renamed')).toEqual([]);
    check();
    db.prepare("UPDATE runs SET status = 'failed', title = 'Quokkas again' WHERE id = ?").run(id);
    expect(searchIds(db, 'again')).toEqual([id]);
    check();
    const live = runs.create({ experimentId: null, title: 'Live koalas', config, arms: [] });
    const history = createHistoryRepo(db);
    history.trash([id, live]);
    history.purge([id, live]);
    expect(searchIds(db, 'quokkas')).toEqual([]);
    check();
    healthy(db);
    db.close();
  });

  it('covers every migration the app ships, each with a step test above', () => {
    expect(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20]);
  });
});
