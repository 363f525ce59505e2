/** Migration 0013 (datasets and batches) on a real SQLite file: from 0008, constraints, cascades. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../../electron/services/store';
import { MIGRATIONS } from '../../../electron/services/store/migrations';
import { createBatchRepo } from '../../../electron/services/batch/repo';
import { BATCH_CONFIG } from '../../support/batch-fixtures';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-0013-'));
  dirs.push(dir);
  return join(dir, 'parallax.db');
};

describe('migration 0013', () => {
  it('adds the dataset and batch tables to a database at 0008, keeping what is there', () => {
    const path = file();
    const old = openDb(path, { migrations: MIGRATIONS.filter((m) => m.version <= 8) });
    old.prepare(`INSERT INTO experiments (id, name, description, config, created_at, updated_at) VALUES ('e1', 'Kept', '', '{"variables":[],"arms":[]}', 1, 1)`).run();
    expect(schemaVersion(old)).toBe(8);
    old.close();
    const db = openDb(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(13);
    expect(db.prepare('SELECT name FROM experiments').pluck().get()).toBe('Kept');
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%batch%' OR name LIKE 'dataset%' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['batch_cells', 'batch_rows', 'batch_runs', 'batches', 'dataset_rows', 'datasets']);
    db.close();
  });

  it('rejects bad statuses and formats, and deleting a batch or dataset takes its rows along', () => {
    const db = openDb(file());
    const repo = createBatchRepo(db, () => 1000);
    const dataset = repo.createDataset({ name: 'd.csv', format: 'csv', columns: ['topic'], rows: [['a'], ['b']], mapping: { variables: { topic: 'topic' }, reference: null } });
    expect(repo.datasetRows(dataset.id)).toEqual([['a'], ['b']]);
    expect(() => db.prepare(`INSERT INTO datasets (id, name, format, columns, mapping, row_count, created_at, updated_at) VALUES ('x', 'x', 'xlsx', '[]', '{}', 0, 1, 1)`).run()).toThrow(/CHECK/);
    const id = repo.createBatch({
      name: 'B', experimentId: null, datasetId: dataset.id, datasetName: 'd.csv', config: BATCH_CONFIG, mapping: dataset.mapping, repeats: 3, concurrency: 4,
      scores: { metrics: [], judges: [] }, rows: [{ variables: [{ name: 'topic', value: 'a' }], reference: null }, { variables: [{ name: 'topic', value: 'b' }], reference: 'B' }],
    });
    expect(repo.counts(id).counts).toMatchObject({ total: 12, pending: 12 });
    expect(() => db.prepare(`UPDATE batch_cells SET status = 'done' WHERE batch_id = ?`).run(id)).toThrow(/CHECK/);
    // the dataset may go; the batch keeps its rows as it ran them
    expect(repo.deleteDataset(dataset.id)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM dataset_rows').pluck().get()).toBe(0);
    expect(repo.batch(id)!.datasetId).toBeNull();
    expect(repo.rows(id)[1]).toEqual({ row: 1, variables: [{ name: 'topic', value: 'b' }], reference: 'B' });
    expect(repo.deleteBatch(id)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM batch_cells').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM batch_rows').pluck().get()).toBe(0);
    db.close();
  });
});
