import type { Migration } from './index';

/** Experiments (saved configurations), runs (a snapshot of one execution) and their arm outputs. */
export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        lab_id TEXT,
        config TEXT NOT NULL CHECK (json_valid(config)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX experiments_updated ON experiments (updated_at DESC);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        experiment_id TEXT REFERENCES experiments (id) ON DELETE SET NULL,
        title TEXT NOT NULL,
        config TEXT NOT NULL CHECK (json_valid(config)),
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX runs_started ON runs (started_at DESC);
      CREATE INDEX runs_experiment ON runs (experiment_id);

      CREATE TABLE arm_outputs (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL,
        label TEXT NOT NULL,
        technique TEXT NOT NULL,
        model_id TEXT NOT NULL,
        request TEXT NOT NULL CHECK (json_valid(request)),
        text TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'streaming', 'completed', 'cancelled', 'failed', 'interrupted')),
        stop_reason TEXT,
        error TEXT CHECK (error IS NULL OR json_valid(error)),
        input_tokens INTEGER,
        output_tokens INTEGER,
        ttft_ms REAL,
        total_ms REAL,
        cost_usd REAL,
        PRIMARY KEY (run_id, arm_index)
      ) STRICT;
    `);
  },
};
