/**
 * Care of the data: online backup, staged restore, integrity check, size figures.
 *
 * Restore is staged, not live: every repository holds prepared statements on the open
 * connection, so swapping the file under a running app is unsafe. The chosen backup is copied
 * next to the database and validated there; at the next start (createServices) the current
 * file is set aside as parallax.before-restore-<time>.db and the staged copy takes its place.
 */
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { DataStats, IntegrityReport } from '../../../shared/contract/history';
import type { Db } from './db';
import { schemaVersion } from './db';
import { MIGRATIONS } from './migrations';

export const DB_FILE = 'parallax.db';
const STAGED_FILE = 'parallax.restore.db';
const STAGED_INFO = 'parallax.restore.json';

const REQUIRED_TABLES = ['schema_migrations', 'experiments', 'runs', 'arm_outputs'];

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A consistent copy while the app runs (SQLite's online backup API; writers are not blocked). */
export async function backupTo(db: Db, path: string, onProgress?: (done: number, total: number | null) => void): Promise<number> {
  const temp = `${path}.partial`;
  rmSync(temp, { force: true });
  try {
    await db.backup(temp, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 1000;
      },
    });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return fileSize(path);
}

export interface CandidateInfo {
  runs: number;
  schemaVersion: number;
}

/** Checks that `path` is a Parallax database this app can open; throws 'bad_input' saying why not. */
export function validateDatabaseFile(path: string, nativeBinding?: string): CandidateInfo {
  const header = Buffer.alloc(16);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new AppError('bad_input', `Could not read ${basename(path)}.`, String(error));
  }
  if (header.toString('latin1') !== 'SQLite format 3\0') {
    throw new AppError('bad_input', `${basename(path)} is not a Parallax backup: it is not an SQLite database at all.`);
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('bad_input', `${basename(path)} is damaged (quick_check: ${String(check).slice(0, 200)}).`);
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
    const missing = REQUIRED_TABLES.filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw new AppError('bad_input', `${basename(path)} is an SQLite database but not a Parallax one (no ${missing.join(', ')} table).`);
    }
    const version = schemaVersion(db);
    const known = Math.max(...MIGRATIONS.map((m) => m.version));
    if (version > known) {
      throw new AppError('bad_input', `${basename(path)} was written by a newer Parallax (schema ${version}; this app knows ${known}). Update the app first.`);
    }
    if (version < 1) throw new AppError('bad_input', `${basename(path)} has no schema version; it is not a Parallax backup.`);
    const runs = db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
    return { runs, schemaVersion: version };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_input', `${basename(path)} could not be opened as a Parallax database.`, String(error));
  } finally {
    db?.close();
  }
}

/** Copies a backup into the data folder, validates the copy, and marks it for the next start. */
export function stageRestore(dataDir: string, source: string, nativeBinding?: string): CandidateInfo {
  const staged = join(dataDir, STAGED_FILE);
  rmSync(staged, { force: true });
  copyFileSync(source, staged);
  try {
    const info = validateDatabaseFile(staged, nativeBinding);
    for (const suffix of ['-wal', '-shm']) rmSync(staged + suffix, { force: true });
    writeFileSync(join(dataDir, STAGED_INFO), JSON.stringify({ file: source, runs: info.runs, schemaVersion: info.schemaVersion }));
    return info;
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(staged + suffix, { force: true });
    throw error;
  }
}

export function stagedRestore(dataDir: string): { file: string; runs: number } | null {
  const infoPath = join(dataDir, STAGED_INFO);
  if (!existsSync(infoPath) || !existsSync(join(dataDir, STAGED_FILE))) return null;
  try {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as { file: string; runs: number };
    return { file: info.file, runs: info.runs };
  } catch {
    return null;
  }
}

export function cancelRestore(dataDir: string): boolean {
  const had = stagedRestore(dataDir) !== null;
  rmSync(join(dataDir, STAGED_FILE), { force: true });
  rmSync(join(dataDir, STAGED_INFO), { force: true });
  return had;
}

/**
 * At start-up, before the database opens: puts a staged restore in place. The current file
 * (with its WAL) is kept as parallax.before-restore-<time>.db. Returns the kept file's path.
 */
export function applyStagedRestore(dataDir: string, now: number = Date.now()): string | null {
  if (stagedRestore(dataDir) === null) return null;
  const current = join(dataDir, DB_FILE);
  const kept = join(dataDir, `parallax.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}.db`);
  const moved: [string, string][] = [];
  try {
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(current + suffix)) {
        renameSync(current + suffix, kept + suffix);
        moved.push([kept + suffix, current + suffix]);
      }
    }
    renameSync(join(dataDir, STAGED_FILE), current);
  } catch (error) {
    for (const [from, to] of moved.reverse()) {
      try {
        renameSync(from, to);
      } catch {
        // best effort: the kept file is still there under its new name
      }
    }
    throw error;
  }
  rmSync(join(dataDir, STAGED_INFO), { force: true });
  return existsSync(kept) ? kept : null;
}

export function integrityReport(db: Db, progress?: (done: number, total: number | null) => void): IntegrityReport {
  const checks: IntegrityReport['checks'] = [];
  progress?.(0, 3);
  const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
  const integrityOk = integrity.length === 1 && integrity[0]!.integrity_check === 'ok';
  checks.push({
    name: 'Database file',
    ok: integrityOk,
    detail: integrityOk ? 'No damage found (integrity_check).' : integrity.slice(0, 5).map((r) => r.integrity_check).join('; '),
  });
  progress?.(1, 3);
  const foreign = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  checks.push({
    name: 'Links between tables',
    ok: foreign.length === 0,
    detail:
      foreign.length === 0
        ? 'Every reference points at an existing row (foreign_key_check).'
        : `${foreign.length} broken references, e.g. ${foreign.slice(0, 3).map((f) => `${f.table} row ${f.rowid} → ${f.parent}`).join(', ')}.`,
  });
  progress?.(2, 3);
  let searchOk = true;
  let searchDetail = 'The search index matches the runs.';
  try {
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
  } catch (error) {
    searchOk = false;
    searchDetail = `The search index is out of step with the runs (${error instanceof Error ? error.message : String(error)}). Rebuild it.`;
  }
  checks.push({ name: 'Search index', ok: searchOk, detail: searchDetail });
  progress?.(3, 3);
  return { ok: checks.every((c) => c.ok), checks };
}

export function dataStats(db: Db, dbPath: string, dataDir: string): DataStats {
  const counts = db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM runs WHERE deleted_at IS NULL) AS runs,
              (SELECT COUNT(*) FROM runs WHERE deleted_at IS NOT NULL) AS trashed,
              (SELECT COUNT(*) FROM packs) AS packs,
              (SELECT COUNT(*) FROM collections) AS collections`,
    )
    .get() as { runs: number; trashed: number; packs: number; collections: number };
  return {
    dbBytes: fileSize(dbPath),
    walBytes: fileSize(`${dbPath}-wal`),
    ...counts,
    schemaVersion: schemaVersion(db),
    stagedRestore: stagedRestore(dataDir),
  };
}
