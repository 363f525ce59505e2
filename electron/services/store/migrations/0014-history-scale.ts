import type { Migration } from './index';

/**
 * History at scale (issue 15).
 *
 * `history_facet_counts` keeps what the History sidebar shows (runs per status, the trash, labs,
 * models and techniques in use) as counters that triggers update on every write, so
 * `history:facets` reads a few dozen rows instead of counting 100,000 runs and 200,000 arms on
 * every open, star, tag, note or delete. Counters:
 *   status/<status>   live runs (not in the trash) with that status
 *   trash/''          runs in the trash
 *   lab/<lab id>      runs (live or trashed) from that lab
 *   model/<model id>, technique/<technique>   arms using it (any run)
 * A row whose count falls to 0 stays (n = 0) and is not shown.
 *
 * Indexes: `runs_history_live_status` (deleted_at, status) answers any status count from the
 * index alone (the old counts walked runs_history_live and read each row), and
 * `arm_ratings_thumb`/`arm_ratings_stars` let the rating filters find rated arms without reading
 * every rating.
 */
const bump = (kind: string, value: string, delta: 1 | -1, when: string) =>
  `INSERT INTO history_facet_counts (kind, value, n) SELECT '${kind}', ${value}, ${delta} WHERE ${when}
     ON CONFLICT (kind, value) DO UPDATE SET n = n + excluded.n;`;

const runCounters = (row: 'NEW' | 'OLD', delta: 1 | -1) => `
  ${bump('status', `${row}.status`, delta, `${row}.deleted_at IS NULL`)}
  ${bump('trash', "''", delta, `${row}.deleted_at IS NOT NULL`)}
  ${bump('lab', `${row}.lab_id`, delta, `${row}.lab_id IS NOT NULL`)}`;

const armCounters = (row: 'NEW' | 'OLD', delta: 1 | -1) => `
  ${bump('model', `${row}.model_id`, delta, '1')}
  ${bump('technique', `${row}.technique`, delta, '1')}`;

export const FACET_TRIGGERS = [
  'history_facets_run_insert',
  'history_facets_run_delete',
  'history_facets_run_update',
  'history_facets_arm_insert',
  'history_facets_arm_delete',
  'history_facets_arm_update',
] as const;

export const m0014HistoryScale: Migration = {
  version: 14,
  name: 'history-scale',
  up(db) {
    db.exec(`
      CREATE TABLE history_facet_counts (
        kind TEXT NOT NULL CHECK (kind IN ('status', 'trash', 'lab', 'model', 'technique')),
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (kind, value)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER history_facets_run_insert AFTER INSERT ON runs BEGIN ${runCounters('NEW', 1)} END;
      CREATE TRIGGER history_facets_run_delete AFTER DELETE ON runs BEGIN ${runCounters('OLD', -1)} END;
      CREATE TRIGGER history_facets_run_update AFTER UPDATE OF status, deleted_at, lab_id ON runs
        WHEN OLD.status IS NOT NEW.status OR (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) OR OLD.lab_id IS NOT NEW.lab_id
      BEGIN ${runCounters('OLD', -1)} ${runCounters('NEW', 1)} END;

      CREATE TRIGGER history_facets_arm_insert AFTER INSERT ON arm_outputs BEGIN ${armCounters('NEW', 1)} END;
      CREATE TRIGGER history_facets_arm_delete AFTER DELETE ON arm_outputs BEGIN ${armCounters('OLD', -1)} END;
      CREATE TRIGGER history_facets_arm_update AFTER UPDATE OF model_id, technique ON arm_outputs
        WHEN OLD.model_id IS NOT NEW.model_id OR OLD.technique IS NOT NEW.technique
      BEGIN ${armCounters('OLD', -1)} ${armCounters('NEW', 1)} END;

      INSERT INTO history_facet_counts (kind, value, n)
        SELECT 'status', status, COUNT(*) FROM runs WHERE deleted_at IS NULL GROUP BY status;
      INSERT INTO history_facet_counts (kind, value, n)
        SELECT 'trash', '', COUNT(*) FROM runs WHERE deleted_at IS NOT NULL HAVING COUNT(*) > 0;
      INSERT INTO history_facet_counts (kind, value, n)
        SELECT 'lab', lab_id, COUNT(*) FROM runs WHERE lab_id IS NOT NULL GROUP BY lab_id;
      INSERT INTO history_facet_counts (kind, value, n)
        SELECT 'model', model_id, COUNT(*) FROM arm_outputs GROUP BY model_id;
      INSERT INTO history_facet_counts (kind, value, n)
        SELECT 'technique', technique, COUNT(*) FROM arm_outputs GROUP BY technique;

      CREATE INDEX runs_history_live_status ON runs (deleted_at, status);
      CREATE INDEX arm_ratings_thumb ON arm_ratings (thumb, run_id) WHERE thumb IS NOT NULL;
      CREATE INDEX arm_ratings_stars ON arm_ratings (stars, run_id) WHERE stars IS NOT NULL;
    `);
  },
};
