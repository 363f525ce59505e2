import type Database from 'better-sqlite3';
import type { Migration } from './migrations';

/**
 * Applies every migration not yet recorded (in version order), each in its own transaction
 * together with its record, so a failure leaves the file at the last good version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (current > known) {
    throw new Error(
      `This database was written by a newer version of Parallax (schema ${current}, this app knows ${known}). Update the app to open it.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  // Every migration not yet recorded, in order — not only those above the highest recorded:
  // numbers are reserved per feature, so a database may hold 0005 before 0003 ships.
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const pending = [...migrations].filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name, Date.now());
    })();
  }
  return pending.length;
}
