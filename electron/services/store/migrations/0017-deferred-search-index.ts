import type { Migration } from './index';

/** The condition every INSERT trigger of the search index gains (see search-index.ts). */
export const SEARCH_NOT_DEFERRED = 'NOT EXISTS (SELECT 1 FROM history_fts_deferred)';

const INSERT_TRIGGER = /^(CREATE TRIGGER \S+ (?:BEFORE|AFTER) INSERT ON \S+)(?:\s+WHEN\s+([\s\S]*?))?\s+(BEGIN\b[\s\S]*)$/;

/**
 * Bulk writes index their runs once (issue 15, import speed): a row in `history_fts_deferred`
 * pauses the search index's INSERT triggers (runs, arms, scores, steps) for the connection's
 * transaction that holds it, and that writer indexes the runs it added in one statement before
 * it commits (store/search-index.ts). Row by row, FTS5 flushes its pending terms at every
 * statement (each run became its own tiny segment to merge): 10,000 imported runs spent ~15 s of
 * CPU there, against ~2 s in one statement per batch.
 *
 * The row never outlives the transaction that inserts it, so other connections never see it:
 * their writes index as before. UPDATE and DELETE triggers are unchanged.
 */
export const m0017DeferredSearchIndex: Migration = {
  version: 17,
  name: 'deferred-search-index',
  up(db) {
    db.exec('CREATE TABLE history_fts_deferred (paused INTEGER PRIMARY KEY CHECK (paused = 1)) STRICT');
    const triggers = db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'history\\_fts\\_%' ESCAPE '\\' ORDER BY name")
      .all() as { name: string; sql: string }[];
    for (const { name, sql } of triggers) {
      const match = INSERT_TRIGGER.exec(sql.trim());
      if (!match) continue;
      const [, head, when, body] = match;
      db.exec(`DROP TRIGGER "${name}"`);
      db.exec(`${head} WHEN ${SEARCH_NOT_DEFERRED}${when ? ` AND (${when})` : ''} ${body}`);
    }
  },
};
