import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExperimentRepo, openDb, schemaVersion } from '../../../electron/services/store';
import { MIGRATIONS, type Migration } from '../../../electron/services/store/migrations';
import { ExperimentConfig } from '../../../shared/domain';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const latest = Math.max(...MIGRATIONS.map((m) => m.version));
const config = ExperimentConfig.parse({ variables: [], arms: [{ mode: 'baseline', label: 'Baseline', modelId: 'm', template: 'Hi' }] });

describe('openDb', () => {
  it('creates a new file with every migration applied and recorded, in WAL mode with foreign keys on', () => {
    const db = openDb(join(dir, 'new.db'));
    expect(schemaVersion(db)).toBe(latest);
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(recorded).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const strict = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT'").pluck().all();
    expect(strict).toEqual(expect.arrayContaining(['experiments', 'runs', 'arm_outputs', 'schema_migrations']));
    db.close();
  });

  it('reopens an existing file without re-running migrations and keeps its data', () => {
    const path = join(dir, 'existing.db');
    const first = openDb(path);
    const saved = createExperimentRepo(first).save({ name: 'Kept', description: '', labId: null, config });
    first.close();

    const second = openDb(path);
    expect(second.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    expect(createExperimentRepo(second).get(saved.id)?.name).toBe('Kept');
    second.close();
  });

  it('rolls back a failed migration and leaves the file usable at the last good version', () => {
    const path = join(dir, 'failing.db');
    const breaking: Migration = {
      version: latest + 1,
      name: 'breaks-halfway',
      up(db) {
        db.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT');
        db.exec("INSERT INTO experiments (id, name, config, created_at, updated_at) VALUES ('x', 'ghost', '{}', 0, 0)");
        throw new Error('disk full, pretend');
      },
    };
    const seeded = openDb(path);
    createExperimentRepo(seeded).save({ name: 'Before the failure', description: '', labId: null, config });
    seeded.close();

    expect(() => openDb(path, { migrations: [...MIGRATIONS, breaking] })).toThrow('disk full, pretend');

    const db = openDb(path);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
    expect(createExperimentRepo(db).list().map((e) => e.name)).toEqual(['Before the failure']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('refuses a database written by a newer app instead of damaging it', () => {
    const path = join(dir, 'newer.db');
    openDb(path).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(latest + 50, 'from-the-future', 0);
    raw.close();
    expect(() => openDb(path)).toThrow(/newer version of Parallax/);
  });

  it('enforces STRICT column types and the status vocabulary', () => {
    const db = openDb(join(dir, 'strict.db'));
    expect(() =>
      db.prepare("INSERT INTO runs (id, title, config, status, started_at) VALUES ('r', 't', '{}', 'running', 'yesterday')").run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() =>
      db.prepare("INSERT INTO runs (id, title, config, status, started_at) VALUES ('r', 't', '{}', 'exploded', 1)").run(),
    ).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
