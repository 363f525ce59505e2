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

/** Slices of merge work: pages written per statement, and the pause between statements. */
const MERGE_PAGES = 64;
const MERGE_PAUSE_MS = 15;
/** More segments than this and the background job merges (each search probes every segment). */
export const COMPACT_ABOVE_SEGMENTS = 4;

export interface CompactResult {
  /** Segments (b-trees) of the index before and after. */
  before: number;
  after: number;
  /** Merge statements run (each a short write transaction of about MERGE_PAGES pages). */
  slices: number;
  /** Whether there is merge work left (the budget ran out or the job was cancelled). */
  more: boolean;
}

/**
 * Keeps the history search index in few segments (issue 15, search shapes). Every finished run
 * adds a small segment; FTS5's automerge merges them four at a time, so a 100k-run index sits at
 * ~20 segments, and every probe, snippet and prefix alternative looks a term up in each one
 * (a one-letter prefix's snippets: 27 ms a page at 21 segments, 5 ms at one). This merges
 * segments of the same level two at a time ('usermerge' 2, a positive 'merge'), a slice of
 * MERGE_PAGES pages per statement with a pause between, so each write lock it takes is short
 * and the app's own writes get in between; it stops when there is nothing left to merge, the
 * budget is spent or the signal aborts. Runs as a store job (the worker's connection in the app).
 */
export async function compactSearchIndex(db: Db, options: { budgetMs: number; signal?: AbortSignal; pauseMs?: number }): Promise<CompactResult> {
  const segments = db.prepare<[], number>('SELECT count(DISTINCT segid) FROM history_fts_idx').pluck();
  const before = segments.get()!;
  if (before <= COMPACT_ABOVE_SEGMENTS) return { before, after: before, slices: 0, more: false };
  if (db.prepare<[], number>("SELECT coalesce((SELECT v FROM history_fts_config WHERE k = 'usermerge'), 4)").pluck().get() !== 2) {
    db.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('usermerge', 2)");
  }
  const merge = db.prepare(`INSERT INTO history_fts (history_fts, rank) VALUES ('merge', ${MERGE_PAGES})`);
  const changes = db.prepare<[], number>('SELECT total_changes()').pluck();
  const deadline = Date.now() + options.budgetMs;
  let slices = 0;
  let more = true;
  // At least one slice per go, however small the budget.
  do {
    const at = changes.get()!;
    merge.run();
    slices += 1;
    // FTS5's own test for "no work done": fewer than two changes (see its 'merge' command).
    more = changes.get()! - at >= 2;
    if (more && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? MERGE_PAUSE_MS));
  } while (more && !options.signal?.aborted && Date.now() < deadline);
  return { before, after: segments.get()!, slices, more };
}
