import type { Migration } from './index';

/**
 * The comparison workspace: the user's own mitigation techniques (the shipped library lives in
 * resources/techniques.json), and an index to find a run's arms by status quickly (start-up
 * marks unfinished arms interrupted; the runner reads arm statuses to settle a run).
 */
export const m0003Comparison: Migration = {
  version: 3,
  name: 'comparison',
  up(db) {
    db.exec(`
      CREATE TABLE techniques (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        explanation TEXT NOT NULL DEFAULT '',
        system TEXT NOT NULL DEFAULT '',
        wrap TEXT NOT NULL CHECK (instr(wrap, '{{prompt}}') > 0),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX techniques_name ON techniques (name COLLATE NOCASE);
      CREATE INDEX arm_outputs_status ON arm_outputs (status);
    `);
  },
};
