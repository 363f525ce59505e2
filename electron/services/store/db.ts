import Database from 'better-sqlite3';
import { migrate } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDbOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron's ABI in the app). */
  nativeBinding?: string;
  /** Migrations to apply; defaults to the app's own list. Tests pass their own. */
  migrations?: readonly Migration[];
}

/**
 * The app's connection does not checkpoint the WAL on its own commits (a checkpoint copies every
 * page written since the last one into the database file, on the write path: the p95 of an
 * insert was mostly that). The store jobs host checkpoints in the background instead
 * (jobs/host.ts, PASSIVE, on the worker's connection in the app). This threshold is only the
 * backstop, so the WAL stays bounded even if the background checkpoint cannot run.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16_384;
/** After a checkpoint empties it, a WAL file bigger than this is truncated back to it. */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Opens (creating if needed) the database file and brings its schema up to date.
 * WAL lets the UI read while a run streams in; synchronous=NORMAL in WAL mode is safe against
 * app crashes (only a power cut can lose the last commits), and keeps each insert cheap.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
