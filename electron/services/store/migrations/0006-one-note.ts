import type { Migration } from './index';

/**
 * One note per run. History kept its note in runs.note (0005, indexed for search) and the
 * ratings kept a separate "rating note" in run_ratings.note (0004). The run's note is now the
 * only one: a rating note moves into runs.note when the run has none, and is appended below it
 * (after a blank line) when the run has a different note of its own, so no text is lost. The
 * FTS update triggers on runs.note index the moved text. Then run_ratings.note is dropped
 * (the table stays STRICT; DROP COLUMN rewrites it in place).
 */
export const m0006OneNote: Migration = {
  version: 6,
  name: 'one-note',
  up(db) {
    db.exec(`
      UPDATE runs SET note = (SELECT rr.note FROM run_ratings rr WHERE rr.run_id = runs.id)
        WHERE note = '' AND id IN (SELECT run_id FROM run_ratings WHERE note != '');
      UPDATE runs SET note = note || char(10) || char(10) || (SELECT rr.note FROM run_ratings rr WHERE rr.run_id = runs.id)
        WHERE note != '' AND id IN (
          SELECT rr.run_id FROM run_ratings rr JOIN runs r ON r.id = rr.run_id
          WHERE rr.note != '' AND instr(r.note, rr.note) = 0
        );
      ALTER TABLE run_ratings DROP COLUMN note;
    `);
  },
};
