import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryListRequest } from '../../../shared/contract/history';
import { createRunRepo, openDb, schemaVersion, type Db } from '../../../electron/services/store';
import { createHistoryRepo } from '../../../electron/services/store/history';
import { MIGRATIONS } from '../../../electron/services/store/migrations';
import { ExperimentConfig } from '../../../shared/domain';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-m0005-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const latest = Math.max(...MIGRATIONS.map((m) => m.version));
const legacy = {
  variables: [],
  arms: [
    { label: 'Baseline', technique: 'plain', modelId: 'm-a', inference: {}, system: '', history: [], template: 'Q' },
    { label: 'Guarded', technique: 'bias-guard', modelId: 'm-b', inference: {}, system: 'Be fair.', history: [], template: 'Q' },
  ],
};

/** The same configuration as every parse upgrades it (issue 9). */
const config = ExperimentConfig.parse(legacy);

/** Rows written the way the app wrote them before 0005 (plain SQL, no knowledge of later columns). */
function seedOldRows(db: Db) {
  db.prepare(`INSERT INTO experiments (id, name, description, lab_id, config, created_at, updated_at) VALUES ('e1', 'Nurses', '', 'loaded-assumptions', ?, 1, 1)`).run(JSON.stringify(legacy));
  const runs = createRunRepo(db, () => 1_700_000_000_000);
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const id = runs.create({
      experimentId: i === 0 ? 'e1' : null,
      title: `Old run ${i}`,
      config,
      arms: legacy.arms.map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: { system: arm.system, messages: [{ role: 'user' as const, text: `Who is the better nurse, question ${i}?` }], inference: {} } })),
    });
    runs.updateArm(id, 0, { text: `Old answer ${i} about pelicans`, status: 'completed', outputTokens: 5 });
    runs.updateArm(id, 1, { text: 'Streaming when the app stopped', status: 'streaming' });
    if (i < 2) runs.finish(id, 'completed');
    ids.push(id);
  }
  return ids;
}

function searchIds(db: Db, query: string): string[] {
  return createHistoryRepo(db).list(HistoryListRequest.parse({ filter: { query } })).items.map((r) => r.id);
}

describe('migration 0005 (history) on databases written before it', () => {
  it('0004 → 0005: keeps every row, backfills labs from experiments, and indexes existing runs', () => {
    const path = join(dir, 'before.db');
    const before = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version < 5) });
    const ids = seedOldRows(before);
    const snapshot = ids.map((id) => createRunRepo(before).get(id));
    expect(schemaVersion(before)).toBeLessThan(5);
    before.close();

    const after = openDb(path);
    expect(schemaVersion(after)).toBe(latest);
    expect(ids.map((id) => createRunRepo(after).get(id))).toEqual(snapshot);
    const rows = after.prepare('SELECT id, starred, note, deleted_at, lab_id, source_pack_id FROM runs ORDER BY title').all();
    expect(rows).toEqual([
      { id: ids[0], starred: 0, note: '', deleted_at: null, lab_id: 'loaded-assumptions', source_pack_id: null },
      { id: ids[1], starred: 0, note: '', deleted_at: null, lab_id: null, source_pack_id: null },
      { id: ids[2], starred: 0, note: '', deleted_at: null, lab_id: null, source_pack_id: null },
    ]);
    expect(searchIds(after, 'question 1')).toEqual([ids[1]]);
    // A run still running is searched once it stops (0020): start-up marks it interrupted.
    expect(searchIds(after, 'pelicans').sort()).toEqual([ids[0], ids[1]].sort());
    expect(searchIds(after, 'streaming')).toEqual([]);
    createRunRepo(after).markInterrupted();
    expect(searchIds(after, 'pelicans').sort()).toEqual([...ids].sort());
    expect(searchIds(after, 'streaming')).toEqual([ids[2]]); // the one run that was still running
    after.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    expect(after.pragma('foreign_key_check')).toEqual([]);
    after.close();
  });

  it('0001 → current: a database from the very first release opens with its runs searchable', () => {
    const path = join(dir, 'v1.db');
    const v1 = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version === 1) });
    const ids = seedOldRows(v1);
    v1.close();
    const db = openDb(path);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(createRunRepo(db).get(ids[0]!)?.arms[0]?.text).toBe('Old answer 0 about pelicans');
    createRunRepo(db).markInterrupted(); // what start-up does: the run left running is searchable again
    expect(searchIds(db, 'nurse').length).toBe(3);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('applies a lower-numbered migration that ships after 0005 (numbers are reserved per feature)', () => {
    const path = join(dir, 'gap.db');
    const without = MIGRATIONS.filter((m) => m.version !== 2);
    openDb(path, { migrations: without }).close();
    const db = openDb(path);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    db.close();
  });
});
