import type { Migration } from './index';

/**
 * History that works offline: stars, notes, soft delete (trash), tags, collections, imported
 * workshop packs, and a full-text index over every run.
 *
 * The search index is an FTS5 *external-content* table whose content is a VIEW over runs and
 * arm_outputs (one document per run), so no text is stored twice. External content must be
 * told exactly what it indexed when a document changes, hence the trigger pairs: a BEFORE
 * trigger removes the document as the view shows it now (what was indexed), an AFTER trigger
 * indexes what the view shows after the change.
 *
 * Tokens are whole words (unicode61, no stemming): the word being typed is expanded into the
 * indexed words that start with it (history_vocab), which a stemmed index cannot do exactly
 * because stems do not survive a second pass through the stemmer ("nurs" → "nur").
 *
 * Outputs only enter the index once an arm stops streaming (any status but pending/streaming),
 * so a streaming run costs no indexing per delta; the WHEN clauses skip every update that
 * cannot change the document.
 *
 * The document is keyed by runs.rowid. VACUUM may renumber rowids of tables without an
 * INTEGER PRIMARY KEY, so backups use the online backup API (page copy) and the integrity
 * check verifies the index and can rebuild it (`INSERT INTO history_fts(history_fts) VALUES('rebuild')`).
 */
export const m0005History: Migration = {
  version: 5,
  name: 'history',
  up(db) {
    db.exec(`
      CREATE TABLE packs (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        imported_at INTEGER NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
      ) STRICT;

      ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1));
      ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN deleted_at INTEGER;
      ALTER TABLE runs ADD COLUMN lab_id TEXT;
      ALTER TABLE runs ADD COLUMN source_pack_id TEXT REFERENCES packs (id) ON DELETE SET NULL;

      UPDATE runs SET lab_id = (SELECT e.lab_id FROM experiments e WHERE e.id = runs.experiment_id)
        WHERE experiment_id IS NOT NULL;

      -- Live runs have deleted_at NULL, an equality the planner can use: newest-first keyset
      -- pages walk (deleted_at, started_at[, rowid]) backwards with no sort, counts are covered.
      CREATE INDEX runs_history_live ON runs (deleted_at, started_at);
      CREATE INDEX runs_history_title ON runs (deleted_at, title COLLATE NOCASE);
      CREATE INDEX runs_history_starred ON runs (deleted_at, started_at) WHERE starred = 1;
      CREATE INDEX runs_history_status ON runs (status, deleted_at, started_at);
      CREATE INDEX runs_history_lab ON runs (lab_id, started_at) WHERE lab_id IS NOT NULL;
      CREATE INDEX runs_history_pack ON runs (source_pack_id) WHERE source_pack_id IS NOT NULL;
      CREATE INDEX arm_outputs_technique ON arm_outputs (technique, run_id);
      CREATE INDEX arm_outputs_model ON arm_outputs (model_id, run_id);

      CREATE TRIGGER runs_history_lab AFTER INSERT ON runs
        WHEN NEW.lab_id IS NULL AND NEW.experiment_id IS NOT NULL
      BEGIN
        UPDATE runs SET lab_id = (SELECT e.lab_id FROM experiments e WHERE e.id = NEW.experiment_id)
          WHERE rowid = NEW.rowid;
      END;

      CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60)
      ) STRICT;

      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        PRIMARY KEY (run_id, tag_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX run_tags_tag ON run_tags (tag_id, run_id);

      CREATE TABLE collections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE collection_runs (
        collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (collection_id, run_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX collection_runs_run ON collection_runs (run_id);

      -- One search document per run. prompts: what each arm actually sent (resolved system
      -- prompt, the first 8 messages and the last one); outputs: finished arm texts; notes: the
      -- user's note. (json_each cannot be used here: table-valued functions are not allowed
      -- inside triggers, and the triggers read this view.)
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
        r.note AS notes
      FROM runs r;

      CREATE VIRTUAL TABLE history_fts USING fts5(
        title, prompts, outputs, notes,
        content = 'history_docs',
        content_rowid = 'rid',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      -- The index's terms, for expanding the word being typed into whole terms.
      CREATE VIRTUAL TABLE history_vocab USING fts5vocab(history_fts, 'row');

      CREATE TRIGGER history_fts_run_insert AFTER INSERT ON runs BEGIN
        INSERT INTO history_fts (rowid, title, prompts, outputs, notes)
          SELECT rid, title, prompts, outputs, notes FROM history_docs WHERE rid = NEW.rowid;
      END;
      CREATE TRIGGER history_fts_run_delete BEFORE DELETE ON runs BEGIN
        INSERT INTO history_fts (history_fts, rowid, title, prompts, outputs, notes)
          SELECT 'delete', rid, title, prompts, outputs, notes FROM history_docs WHERE rid = OLD.rowid;
      END;
      CREATE TRIGGER history_fts_run_before_update BEFORE UPDATE OF title, note ON runs
        WHEN OLD.title IS NOT NEW.title OR OLD.note IS NOT NEW.note
      BEGIN
        INSERT INTO history_fts (history_fts, rowid, title, prompts, outputs, notes)
          SELECT 'delete', rid, title, prompts, outputs, notes FROM history_docs WHERE rid = OLD.rowid;
      END;
      CREATE TRIGGER history_fts_run_after_update AFTER UPDATE OF title, note ON runs
        WHEN OLD.title IS NOT NEW.title OR OLD.note IS NOT NEW.note
      BEGIN
        INSERT INTO history_fts (rowid, title, prompts, outputs, notes)
          SELECT rid, title, prompts, outputs, notes FROM history_docs WHERE rid = NEW.rowid;
      END;

      CREATE TRIGGER history_fts_arm_before_insert BEFORE INSERT ON arm_outputs BEGIN
        INSERT INTO history_fts (history_fts, rowid, title, prompts, outputs, notes)
          SELECT 'delete', d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid = (SELECT rowid FROM runs WHERE id = NEW.run_id);
      END;
      CREATE TRIGGER history_fts_arm_after_insert AFTER INSERT ON arm_outputs BEGIN
        INSERT INTO history_fts (rowid, title, prompts, outputs, notes)
          SELECT d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid = (SELECT rowid FROM runs WHERE id = NEW.run_id);
      END;
      CREATE TRIGGER history_fts_arm_before_update BEFORE UPDATE ON arm_outputs
        WHEN OLD.request IS NOT NEW.request OR OLD.run_id IS NOT NEW.run_id OR OLD.arm_index IS NOT NEW.arm_index
          OR (CASE WHEN OLD.status IN ('pending', 'streaming') THEN '' ELSE OLD.text END)
             IS NOT (CASE WHEN NEW.status IN ('pending', 'streaming') THEN '' ELSE NEW.text END)
      BEGIN
        INSERT INTO history_fts (history_fts, rowid, title, prompts, outputs, notes)
          SELECT 'delete', d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid IN (SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id));
      END;
      CREATE TRIGGER history_fts_arm_after_update AFTER UPDATE ON arm_outputs
        WHEN OLD.request IS NOT NEW.request OR OLD.run_id IS NOT NEW.run_id OR OLD.arm_index IS NOT NEW.arm_index
          OR (CASE WHEN OLD.status IN ('pending', 'streaming') THEN '' ELSE OLD.text END)
             IS NOT (CASE WHEN NEW.status IN ('pending', 'streaming') THEN '' ELSE NEW.text END)
      BEGIN
        INSERT INTO history_fts (rowid, title, prompts, outputs, notes)
          SELECT d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid IN (SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id));
      END;
      -- When the run itself is being deleted, its BEFORE DELETE trigger already removed the
      -- document and the cascade finds no run row here, so this does nothing.
      CREATE TRIGGER history_fts_arm_before_delete BEFORE DELETE ON arm_outputs BEGIN
        INSERT INTO history_fts (history_fts, rowid, title, prompts, outputs, notes)
          SELECT 'delete', d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid = (SELECT rowid FROM runs WHERE id = OLD.run_id);
      END;
      CREATE TRIGGER history_fts_arm_after_delete AFTER DELETE ON arm_outputs BEGIN
        INSERT INTO history_fts (rowid, title, prompts, outputs, notes)
          SELECT d.rid, d.title, d.prompts, d.outputs, d.notes
          FROM history_docs d WHERE d.rid = (SELECT rowid FROM runs WHERE id = OLD.run_id);
      END;

      INSERT INTO history_fts (history_fts) VALUES ('rebuild');
    `);
  },
};
