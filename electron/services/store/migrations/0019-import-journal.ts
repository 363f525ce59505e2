import type { Migration } from './index';

/**
 * Imports are all-or-nothing across their batches (issue 14): an import notes itself in
 * `imports` and, in the same transaction as each batch it writes, the rows it added in
 * `import_rows` (runs, experiments, packs, corpora, tags). Finishing deletes its record (and with
 * it the notes) in the transaction that writes its last rows; an import cancelled, failed or
 * killed half-way leaves its record, and the rows it names are taken back (on cancel, or at the
 * next start). Rows that were there before the import are never named, so never touched.
 */
export const m0019ImportJournal: Migration = {
  version: 19,
  name: 'import-journal',
  up(db) {
    db.exec(`
      CREATE TABLE imports (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL DEFAULT '',
        started_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE import_rows (
        import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('run', 'experiment', 'pack', 'corpus', 'tag')),
        key TEXT NOT NULL,
        PRIMARY KEY (import_id, kind, key)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
