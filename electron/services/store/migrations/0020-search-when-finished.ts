import type { Migration } from './index';

const COLUMNS = ['title', 'prompts', 'outputs', 'notes', 'critiques'] as const;
const list = COLUMNS.join(', ');
const dList = COLUMNS.map((c) => `d.${c}`).join(', ');
const removeDocs = (rids: string) =>
  `INSERT INTO history_fts (history_fts, rowid, ${list}) SELECT 'delete', d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;
const addDocs = (rids: string) => `INSERT INTO history_fts (rowid, ${list}) SELECT d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;

/** The search documents: every run that is not running (the view of 0009, plus the WHERE). */
export const HISTORY_DOCS_VIEW = `
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
  FROM runs r
  WHERE r.status != 'running'`;

/**
 * A run enters the search index once, when it stops running (issue 15, insert cost).
 *
 * Before, every write of a running run re-indexed its whole document: the run's insert, each
 * arm's insert (delete + insert of the document) and each arm's final text (delete + insert
 * again): nine full-text operations per two-arm run, four of them re-tokenizing the whole
 * document to delete it, and each statement a new index segment to merge. Now `history_docs`
 * leaves out runs that are running, so every existing trigger does nothing for them (the view
 * gives no document), and two triggers on `runs.status` add the document when the run stops
 * (completed, failed, cancelled, interrupted) and take it out when it runs again (an arm re-run).
 * A run that is running is found by the filters (status, model, …) but not by words until it
 * stops; its outputs were never searchable while streaming anyway.
 *
 * The status triggers stand aside when the same statement also changes the title or note: the
 * title/note triggers then do the work (else the document would be added or removed twice).
 * Runs left running by a crash (until markInterrupted at start-up) leave the index here first.
 */
export const m0020SearchWhenFinished: Migration = {
  version: 20,
  name: 'search-when-finished',
  up(db) {
    db.exec(`
      ${removeDocs("SELECT rowid FROM runs WHERE status = 'running'")}
      DROP VIEW history_docs;
      ${HISTORY_DOCS_VIEW};
      CREATE TRIGGER history_fts_run_stopped AFTER UPDATE OF status ON runs
        WHEN OLD.status = 'running' AND NEW.status != 'running' AND OLD.title IS NEW.title AND OLD.note IS NEW.note
        BEGIN ${addDocs('NEW.rowid')} END;
      CREATE TRIGGER history_fts_run_restarted BEFORE UPDATE OF status ON runs
        WHEN OLD.status != 'running' AND NEW.status = 'running' AND OLD.title IS NEW.title AND OLD.note IS NEW.note
        BEGIN ${removeDocs('OLD.rowid')} END;
    `);
  },
};
