import type { Migration } from './index';

/**
 * Scores and human ratings of runs.
 *
 * - scores: one row per (run, arm, scorer, compared arm): a metric or a judge's verdict with its
 *   feedback, the exact judge prompt and model, or the error that stopped it. Re-scoring replaces
 *   the row (upsert on the unique key). other_arm_index is -1 for single-arm scores, the
 *   compared arm (the baseline) for pairwise ones; -1 rather than NULL keeps the key unique.
 * - arm_ratings: a person's thumbs up/down and 1–5 stars per arm.
 * - run_ratings: a person's preferred arm (-1 = tie) and a rating note per run.
 * - score_settings: which scores run after a run, and the inputs judges need, per experiment
 *   ('' = the defaults for runs without an experiment and for new experiments).
 * - judge_prompts: the user's edits to the judge prompts; a missing row means the default.
 */
export const m0004Scores: Migration = {
  version: 4,
  name: 'scores',
  up(db) {
    db.exec(`
      CREATE TABLE scores (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        other_arm_index INTEGER NOT NULL DEFAULT -1 CHECK (other_arm_index >= -1),
        scorer TEXT NOT NULL CHECK (length(scorer) BETWEEN 1 AND 80),
        kind TEXT NOT NULL CHECK (kind IN ('metric', 'judge')),
        value REAL,
        passed INTEGER CHECK (passed IS NULL OR passed IN (0, 1)),
        details TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(details)),
        feedback TEXT NOT NULL DEFAULT '',
        prompt TEXT,
        model_id TEXT,
        error TEXT,
        -- Fingerprint of the output(s) scored, so a score of an arm that was re-run reads as stale.
        output_hash TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, arm_index, scorer, other_arm_index),
        CHECK ((error IS NULL) OR (value IS NULL AND passed IS NULL))
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE arm_ratings (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        thumb INTEGER CHECK (thumb IS NULL OR thumb IN (-1, 1)),
        stars INTEGER CHECK (stars IS NULL OR stars BETWEEN 1 AND 5),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, arm_index)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE run_ratings (
        run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        preferred_arm INTEGER CHECK (preferred_arm IS NULL OR preferred_arm >= -1),
        note TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE score_settings (
        experiment_id TEXT PRIMARY KEY,
        settings TEXT NOT NULL CHECK (json_valid(settings)),
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE judge_prompts (
        judge_id TEXT PRIMARY KEY,
        system TEXT NOT NULL,
        template TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
