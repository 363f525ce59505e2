/**
 * Migration 0014 (history at scale): from the schema just before it, the facet counters start
 * equal to what counting the tables gives, and stay equal through every kind of write the app
 * makes (new runs, arms, status changes, trash, restore, purge, import-style inserts). The new
 * indexes exist and the status count and rating filters use them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunRepo, openDb, schemaVersion, type Db } from '../../../electron/services/store';
import { createHistoryRepo } from '../../../electron/services/store/history';
import { MIGRATIONS } from '../../../electron/services/store/migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-migration-0014-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = 1_700_000_000_000;
const MODELS = ['amazon.nova-lite-v1:0', 'anthropic.claude-3-haiku', 'meta.llama3-8b-instruct'];

function seed(db: Db, count: number, offset = 0): string[] {
  const runs = createRunRepo(db, () => T0 + offset * 1000);
  const ids: string[] = [];
  for (let i = offset; i < offset + count; i += 1) {
    const arms = [
      { label: 'Baseline', technique: 'plain', modelId: MODELS[i % 3]!, request: { system: '', messages: [{ role: 'user' as const, text: `case ${i}` }], inference: {} } },
      { label: 'Guarded', technique: i % 2 ? 'bias-guard' : 'counterfactual', modelId: MODELS[(i + 1) % 3]!, request: { system: 'Be fair.', messages: [{ role: 'user' as const, text: `case ${i}` }], inference: {} } },
    ];
    const id = runs.create({ experimentId: null, title: `Run ${i}`, config: { variables: [], arms: [] as never[] }, arms });
    runs.updateArm(id, 0, { text: 'answer', status: 'completed' });
    runs.updateArm(id, 1, { text: 'answer', status: i % 4 === 0 ? 'failed' : 'completed' });
    runs.finish(id, i % 4 === 0 ? 'failed' : 'completed');
    if (i % 5 === 0) db.prepare('UPDATE runs SET lab_id = ? WHERE id = ?').run(i % 10 === 0 ? 'hiring-bias' : 'stereotype-probe', id);
    ids.push(id);
  }
  return ids;
}

/** The facets the old code computed by counting the tables. */
function counted(db: Db) {
  const statuses = db
    .prepare('SELECT status, COUNT(*) AS count FROM runs WHERE deleted_at IS NULL GROUP BY status ORDER BY status')
    .all() as { status: string; count: number }[];
  return {
    live: statuses.reduce((sum, row) => sum + row.count, 0),
    trash: db.prepare('SELECT COUNT(*) FROM runs WHERE deleted_at IS NOT NULL').pluck().get(),
    statuses,
    models: db.prepare('SELECT DISTINCT model_id FROM arm_outputs ORDER BY model_id').pluck().all(),
    techniques: db.prepare('SELECT DISTINCT technique FROM arm_outputs ORDER BY technique').pluck().all(),
    labs: db.prepare('SELECT DISTINCT lab_id FROM runs WHERE lab_id IS NOT NULL ORDER BY lab_id').pluck().all(),
  };
}

function facets(db: Db) {
  const { live, trash, statuses, models, techniques, labs } = createHistoryRepo(db).facets();
  return { live, trash, statuses, models, techniques, labs };
}

function plan(db: Db, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join('\n');
}

describe('migration 0014: facet counters and indexes', () => {
  it('starts from the counts of an existing history and keeps them through every write', () => {
    const path = join(dir, 'm14.db');
    const before = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version < 14) });
    const ids = seed(before, 40);
    before.prepare('UPDATE runs SET deleted_at = ? WHERE id IN (?, ?)').run(T0, ids[1], ids[2]);
    before.close();

    const db = openDb(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(14);
    expect(facets(db)).toEqual(counted(db));
    expect(facets(db).trash).toBe(2);
    expect(facets(db).live).toBe(38);

    const history = createHistoryRepo(db, () => T0 + 99_000);
    const runs = createRunRepo(db, () => T0 + 99_000);
    // New runs (a running one included), a new model on an arm.
    const more = seed(db, 5, 100);
    const running = runs.create({
      experimentId: null,
      title: 'Streaming',
      config: { variables: [], arms: [] as never[] },
      arms: [{ label: 'Baseline', technique: 'role-balance', modelId: 'amazon.nova-pro-v1:0', request: { system: '', messages: [{ role: 'user', text: 'x' }], inference: {} } }],
    });
    expect(facets(db)).toEqual(counted(db));
    expect(facets(db).statuses).toContainEqual({ status: 'running', count: 1 });
    expect(facets(db).models).toContain('amazon.nova-pro-v1:0');

    runs.finish(running, 'cancelled');
    history.trash([more[0]!, more[1]!, ids[5]!]);
    history.restore([ids[1]!]);
    expect(facets(db)).toEqual(counted(db));
    history.purge([more[0]!]);
    history.trash([running]);
    history.purge('all');
    db.prepare('UPDATE runs SET lab_id = NULL WHERE lab_id = ?').run('stereotype-probe');
    db.prepare("UPDATE arm_outputs SET model_id = 'amazon.nova-micro-v1:0' WHERE run_id = ?").run(ids[7]);
    expect(facets(db)).toEqual(counted(db));
    // Models and labs nobody uses any more leave the list.
    expect(facets(db).models).not.toContain('amazon.nova-pro-v1:0');
    expect(facets(db).labs).toEqual(['hiring-bias']);
    expect(facets(db).trash).toBe(0);
    // Everything gone: nothing is listed.
    db.prepare('DELETE FROM runs').run();
    expect(facets(db)).toEqual({ live: 0, trash: 0, statuses: [], models: [], techniques: [], labs: [] });
    db.close();
  });

  it('counts statuses from the new index alone and lets rating filters use theirs', () => {
    const db = openDb(join(dir, 'plans.db'));
    seed(db, 3);
    const status = plan(db, 'SELECT status, COUNT(*) FROM runs WHERE deleted_at IS NULL GROUP BY status');
    expect(status).toMatch(/USING COVERING INDEX runs_history_live_status/);
    expect(plan(db, 'SELECT run_id FROM arm_ratings WHERE thumb = ?', 1)).toMatch(/USING COVERING INDEX arm_ratings_thumb/);
    expect(plan(db, 'SELECT run_id FROM arm_ratings WHERE stars >= ?', 4)).toMatch(/USING COVERING INDEX arm_ratings_stars/);
    db.close();
  });
});
