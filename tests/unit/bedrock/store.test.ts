/** Migration 0002 and the settings / catalog repositories on a real temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsService } from '../../../electron/services/bedrock/settings';
import { openDb, type Db } from '../../../electron/services/store';
import { createCatalogRepo } from '../../../electron/services/store/catalog';
import { createSettingsRepo } from '../../../electron/services/store/settings';
import { DEFAULT_BEDROCK_SETTINGS } from '../../../shared/contract/settings';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-0002-'));
  db = openDb(join(dir, 'test.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 0002', () => {
  it('creates STRICT settings, catalog and price tables', () => {
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    for (const name of ['settings', 'model_catalog', 'model_catalog_refreshes', 'model_prices']) {
      const table = tables.find((t) => t.name === name);
      expect(table?.sql).toMatch(/\)\s*STRICT$/);
    }
    expect(db.prepare('SELECT version FROM schema_migrations WHERE version = 2').get()).toEqual({ version: 2 });
    expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('x', 'not json', 1)").run()).toThrow();
    expect(() => db.prepare('INSERT INTO model_prices (model_id, input_per_1k, updated_at) VALUES (?, ?, 1)').run('m', -1)).toThrow();
  });
});

describe('settings persistence', () => {
  it('starts from defaults, saves, and reads back after reopening', () => {
    const service = createSettingsService(createSettingsRepo(db));
    expect(service.get()).toEqual(DEFAULT_BEDROCK_SETTINGS);
    const seen: string[] = [];
    service.onChange((settings) => seen.push(settings.region));
    service.update({ region: 'eu-central-1', profile: 'work' });
    expect(seen).toEqual(['eu-central-1']);
    db.close();
    db = openDb(join(dir, 'test.db'));
    expect(createSettingsService(createSettingsRepo(db)).get()).toMatchObject({ region: 'eu-central-1', profile: 'work' });
  });

  it('never stores anything but the settings fields', () => {
    const service = createSettingsService(createSettingsRepo(db));
    service.save({ ...DEFAULT_BEDROCK_SETTINGS, secretAccessKey: 'nope' } as never);
    const stored = (db.prepare("SELECT value FROM settings WHERE key = 'bedrock'").get() as { value: string }).value;
    expect(stored).not.toContain('nope');
  });
});

describe('catalog repository', () => {
  it('replaces a region atomically and keeps prices separately', () => {
    let t = 100;
    const repo = createCatalogRepo(db, () => t);
    repo.replace('us-east-1', [
      { kind: 'model', id: 'a', name: 'A', provider: 'P', modality: 'text', data: {} },
      { kind: 'model', id: 'a', name: 'dup', provider: 'P', modality: 'text', data: {} },
      { kind: 'guardrail', id: 'g', name: 'G', provider: '', modality: null, data: { version: '1' } },
    ]);
    expect(repo.list('us-east-1').map((r) => r.id)).toEqual(['g', 'a']);
    expect(repo.fetchedAt('us-east-1')).toBe(100);
    expect(repo.fetchedAt('eu-west-1')).toBeNull();
    t = 200;
    repo.replace('us-east-1', []);
    expect(repo.list('us-east-1')).toEqual([]);
    expect(repo.fetchedAt('us-east-1')).toBe(200);

    repo.setPrice('a', { inputPer1k: 1, outputPer1k: null, perImage: null });
    repo.setPrice('a', { inputPer1k: 2, outputPer1k: 3, perImage: null });
    expect(repo.prices()).toEqual([{ modelId: 'a', inputPer1k: 2, outputPer1k: 3, perImage: null, updatedAt: 200 }]);
    expect(repo.resetPrice('a')).toBe(true);
    expect(repo.prices()).toEqual([]);
  });
});
