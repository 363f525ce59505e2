import type { Db } from './db';

/** The `settings` key/value table: one JSON document per key. */
export function createSettingsRepo(db: Db, now: () => number = Date.now) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  return {
    get(key: string): unknown {
      const row = select.get(key);
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as unknown;
      } catch {
        return undefined;
      }
    },
    set(key: string, value: unknown): void {
      upsert.run(key, JSON.stringify(value), now());
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
