import type { Migration } from './index';

/**
 * Moderation pipelines (issue 10): named, ordered guards on input and output (JSON arrays of
 * guard step configs, read back through zod), and which runs used which pipeline, with the
 * pipeline as it was when the run used it (a run keeps its pipeline after an edit or a delete).
 */
export const m0010ModerationPipelines: Migration = {
  version: 10,
  name: 'moderation-pipelines',
  up(db) {
    db.exec(`
      CREATE TABLE moderation_pipelines (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        input_steps TEXT NOT NULL DEFAULT '[]',
        output_steps TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX moderation_pipelines_name ON moderation_pipelines (name COLLATE NOCASE);
      CREATE TABLE run_pipelines (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL,
        pipeline_id TEXT NOT NULL,
        name TEXT NOT NULL,
        steps TEXT NOT NULL,
        PRIMARY KEY (run_id, arm_index, pipeline_id)
      ) STRICT;
      CREATE INDEX run_pipelines_pipeline ON run_pipelines (pipeline_id);
    `);
  },
};
