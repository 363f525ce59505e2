import type { Migration } from './index';

const COLUMNS = ['title', 'prompts', 'outputs', 'notes', 'critiques'] as const;
const list = COLUMNS.join(', ');
const dList = COLUMNS.map((c) => `d.${c}`).join(', ');
const removeDocs = (rids: string) =>
  `INSERT INTO history_fts (history_fts, rowid, ${list}) SELECT 'delete', d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;
const addDocs = (rids: string) => `INSERT INTO history_fts (rowid, ${list}) SELECT d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;
const ridOf = (runId: string) => `SELECT rowid FROM runs WHERE id = ${runId}`;

/**
 * The step engine (issue 9).
 *
 * - arm_steps: one row per step of an arm's pipeline (request steps, 'generate', answer steps),
 *   written as each step happens, so a run killed mid-chain keeps its finished steps. `critique`
 *   is the step's critique text (critique-revise), kept apart from `detail` so that search reads
 *   it without parsing JSON.
 * - arm_versions: the answer's versions when a step revised it (the first draft, then one per
 *   revision); an arm nobody revised has none (its text is the only version).
 * - arm_text_chunks: text streamed since the arm's last settle, appended (never rewritten) while
 *   it streams and folded into arm_outputs.text when it settles: writes grow with the new text.
 * - arm_outputs.stopped_by: the step that stopped the arm and why ({stepIndex, label, reason}).
 * - principle_sets: named lists of principles, saved and reused.
 *
 * Search: step critiques join the run's `critiques` column (0007), after judges' feedback.
 * The view is made again with the same columns; triggers on arm_steps fire only when a step's
 * critique text changes, so streaming and timings never touch the index.
 */
export const m0009Steps: Migration = {
  version: 9,
  name: 'steps',
  up(db) {
    db.exec(`
      CREATE TABLE arm_steps (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        step_index INTEGER NOT NULL CHECK (step_index >= 0),
        kind TEXT NOT NULL CHECK (length(kind) > 0),
        label TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'waiting', 'done', 'skipped', 'stopped', 'failed', 'cancelled', 'interrupted')),
        started_at INTEGER,
        total_ms REAL,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cost_usd REAL,
        summary TEXT,
        detail TEXT CHECK (detail IS NULL OR json_valid(detail)),
        error TEXT CHECK (error IS NULL OR json_valid(error)),
        critique TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run_id, arm_index, step_index)
      ) STRICT;
      CREATE INDEX arm_steps_open ON arm_steps (status) WHERE status IN ('pending', 'running', 'waiting');

      CREATE TABLE arm_versions (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        position INTEGER NOT NULL CHECK (position >= 0),
        step_index INTEGER NOT NULL CHECK (step_index >= 0),
        reason TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (run_id, arm_index, position)
      ) STRICT;

      CREATE TABLE arm_text_chunks (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        seq INTEGER NOT NULL CHECK (seq >= 0),
        text TEXT NOT NULL,
        PRIMARY KEY (run_id, arm_index, seq)
      ) STRICT;

      ALTER TABLE arm_outputs ADD COLUMN stopped_by TEXT CHECK (stopped_by IS NULL OR json_valid(stopped_by));

      CREATE TABLE principle_sets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        principles TEXT NOT NULL CHECK (json_valid(principles) AND json_type(principles) = 'array'),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX principle_sets_name ON principle_sets (name COLLATE NOCASE);

      DROP VIEW history_docs;
      CREATE VIEW history_docs AS
      SELECT
        r.rowid AS rid,
        r.title AS title,
        (SELECT group_concat(a.prompt, char(10)) FROM (
           SELECT concat_ws(char(10), json_extract(ao.request, '$.system'),
                    json_extract(ao.request, '$.messages[0].text'),
                    json_extract(ao.request, '$.messages[1].text'),
                    json_extract(ao.request, '$.messages[2].text'),
                    json_extract(ao.request, '$.messages[3].text'),
                    json_extract(ao.request, '$.messages[4].text'),
                    json_extract(ao.request, '$.messages[5].text'),
                    json_extract(ao.request, '$.messages[6].text'),
                    json_extract(ao.request, '$.messages[7].text'),
                    CASE WHEN json_array_length(ao.request, '$.messages') > 8
                         THEN json_extract(ao.request, '$.messages[#-1].text') END) AS prompt
           FROM arm_outputs ao WHERE ao.run_id = r.id ORDER BY ao.arm_index) a) AS prompts,
        (SELECT group_concat(o.text, char(10)) FROM (
           SELECT CASE WHEN ao.status IN ('pending', 'streaming') THEN '' ELSE ao.text END AS text
           FROM arm_outputs ao WHERE ao.run_id = r.id ORDER BY ao.arm_index) o) AS outputs,
        r.note AS notes,
        concat_ws(char(10),
          (SELECT group_concat(c.feedback, char(10)) FROM (
             SELECT s.feedback FROM scores s
             WHERE s.run_id = r.id AND s.kind = 'judge' AND s.error IS NULL AND s.feedback != ''
             ORDER BY s.arm_index, s.scorer, s.other_arm_index) c),
          (SELECT group_concat(st.critique, char(10)) FROM (
             SELECT x.critique FROM arm_steps x
             WHERE x.run_id = r.id AND x.critique != ''
             ORDER BY x.arm_index, x.step_index) st)) AS critiques
      FROM runs r;

      CREATE TRIGGER history_fts_step_before_insert BEFORE INSERT ON arm_steps WHEN NEW.critique != ''
        BEGIN ${removeDocs(ridOf('NEW.run_id'))} END;
      CREATE TRIGGER history_fts_step_after_insert AFTER INSERT ON arm_steps WHEN NEW.critique != ''
        BEGIN ${addDocs(ridOf('NEW.run_id'))} END;
      CREATE TRIGGER history_fts_step_before_update BEFORE UPDATE OF critique, run_id ON arm_steps
        WHEN OLD.critique IS NOT NEW.critique OR OLD.run_id IS NOT NEW.run_id
        BEGIN ${removeDocs('SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)')} END;
      CREATE TRIGGER history_fts_step_after_update AFTER UPDATE OF critique, run_id ON arm_steps
        WHEN OLD.critique IS NOT NEW.critique OR OLD.run_id IS NOT NEW.run_id
        BEGIN ${addDocs('SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)')} END;
      CREATE TRIGGER history_fts_step_before_delete BEFORE DELETE ON arm_steps WHEN OLD.critique != ''
        BEGIN ${removeDocs(ridOf('OLD.run_id'))} END;
      CREATE TRIGGER history_fts_step_after_delete AFTER DELETE ON arm_steps WHEN OLD.critique != ''
        BEGIN ${addDocs(ridOf('OLD.run_id'))} END;

      INSERT INTO history_fts (history_fts) VALUES ('rebuild');
    `);
  },
};
