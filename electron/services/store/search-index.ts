/**
 * Bulk writes to the history search index (history_fts over the history_docs view): a writer
 * that adds many runs (an import) pauses the index's per-row INSERT triggers for its own
 * transaction and indexes the runs it added in one statement before committing (migration
 * 0017 explains why: row by row costs ~7x more CPU). Other connections never see the pause.
 * Runs still running have no document (0020: history_docs leaves them out), so a bulk writer
 * that adds one indexes nothing for it; its status trigger indexes it when it stops.
 */
import type { Db } from './db';

const COLUMNS = 'title, prompts, outputs, notes, critiques';

export interface SearchIndexWriter {
  /**
   * Runs `write` in one transaction (a savepoint when one is open) with per-row indexing paused;
   * `write` names each run it added with `added(runId)`, and those runs are indexed before the
   * transaction ends. Everything `write` inserts must belong to runs it adds in it (rows of runs
   * already stored would be left out of the index). A throw rolls back everything, pause included.
   */
  deferred<T>(write: (added: (runId: string) => void) => T): T;
  /** False when the schema lacks the pause (a newer migration remade the triggers): `deferred` then indexes row by row. */
  readonly pausable: boolean;
}

export function createSearchIndexWriter(db: Db): SearchIndexWriter {
  const triggers = db
    .prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'history\\_fts\\_%' ESCAPE '\\' AND sql LIKE '% INSERT ON %'")
    .pluck()
    .all();
  const pausable = triggers.length > 0 && triggers.every((sql) => sql.includes('history_fts_deferred'));
  const pause = pausable ? db.prepare('INSERT OR IGNORE INTO history_fts_deferred (paused) VALUES (1)') : null;
  const resume = pausable ? db.prepare('DELETE FROM history_fts_deferred') : null;
  const index = db.prepare<[string]>(
    `INSERT INTO history_fts (rowid, ${COLUMNS})
     SELECT d.rid, ${COLUMNS.split(', ').map((c) => `d.${c}`).join(', ')} FROM history_docs d
     WHERE d.rid IN (SELECT r.rowid FROM runs r WHERE r.id IN (SELECT value FROM json_each(?)))`,
  );

  const deferred = db.transaction(<T>(write: (added: (runId: string) => void) => T): T => {
    if (!pause || !resume) return write(() => undefined);
    pause.run();
    const ids: string[] = [];
    const result = write((runId) => ids.push(runId));
    resume.run();
    if (ids.length > 0) index.run(JSON.stringify(ids));
    return result;
  }) as <T>(write: (added: (runId: string) => void) => T) => T;

  return { deferred, pausable };
}
