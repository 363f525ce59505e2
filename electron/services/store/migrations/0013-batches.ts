import type { Migration } from './index';

/**
 * Datasets and batches (issue 13).
 * - datasets + dataset_rows: an imported CSV/JSONL file, its columns and the mapping of columns
 *   to template variables and the reference answer, saved for reuse. Rows are JSON arrays of
 *   strings in column order (position 0 = row 1).
 * - batches: an experiment's arms × a dataset's rows × N repeats, with the chosen scores and the
 *   configuration snapshot it runs. batch_rows keeps each row's variables and reference as the
 *   batch ran them, so deleting the dataset never changes a finished batch.
 * - batch_runs: one normal run (History) per row and repeat; its arms are the batch's cells.
 * - batch_cells: one per row × repeat × arm, written the moment the cell settles: on the next
 *   start a batch resumes with what is not done, never running a finished cell again.
 */
export const m0013Batches: Migration = {
  version: 13,
  name: 'batches',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('csv', 'jsonl')),
        columns TEXT NOT NULL,
        mapping TEXT NOT NULL,
        row_count INTEGER NOT NULL CHECK (row_count >= 0),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE dataset_rows (
        dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        cells TEXT NOT NULL,
        PRIMARY KEY (dataset_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        experiment_id TEXT,
        dataset_id TEXT REFERENCES datasets (id) ON DELETE SET NULL,
        dataset_name TEXT,
        config TEXT NOT NULL,
        mapping TEXT NOT NULL,
        repeats INTEGER NOT NULL CHECK (repeats >= 1),
        concurrency INTEGER NOT NULL CHECK (concurrency >= 1),
        scores TEXT NOT NULL,
        row_count INTEGER NOT NULL CHECK (row_count >= 1),
        arm_count INTEGER NOT NULL CHECK (arm_count >= 1),
        status TEXT NOT NULL CHECK (status IN ('running', 'paused', 'interrupted', 'cancelled', 'completed', 'failed')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX batches_by_time ON batches (created_at DESC);

      CREATE TABLE batch_rows (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        row_index INTEGER NOT NULL CHECK (row_index >= 0),
        variables TEXT NOT NULL,
        reference TEXT,
        PRIMARY KEY (batch_id, row_index)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE batch_runs (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        row_index INTEGER NOT NULL,
        repeat INTEGER NOT NULL CHECK (repeat >= 0),
        run_id TEXT REFERENCES runs (id) ON DELETE SET NULL,
        scored INTEGER NOT NULL DEFAULT 0 CHECK (scored IN (0, 1)),
        PRIMARY KEY (batch_id, row_index, repeat)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX batch_runs_by_run ON batch_runs (run_id);

      CREATE TABLE batch_cells (
        batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
        row_index INTEGER NOT NULL,
        repeat INTEGER NOT NULL,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        cost_usd REAL,
        total_ms REAL,
        finished_at INTEGER,
        PRIMARY KEY (batch_id, row_index, repeat, arm_index)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
