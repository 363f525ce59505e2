import type { Migration } from './index';

const COLUMNS = ['title', 'prompts', 'outputs', 'notes', 'critiques'] as const;
const list = COLUMNS.join(', ');
const dList = COLUMNS.map((c) => `d.${c}`).join(', ');

/** SQL that removes (`'delete'`) or adds the documents of the runs `rids` selects. */
const removeDocs = (rids: string) =>
  `INSERT INTO history_fts (history_fts, rowid, ${list}) SELECT 'delete', d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;
const addDocs = (rids: string) => `INSERT INTO history_fts (rowid, ${list}) SELECT d.rid, ${dList} FROM history_docs d WHERE d.rid IN (${rids});`;
const ridOf = (runId: string) => `SELECT rowid FROM runs WHERE id = ${runId}`;

/** A BEFORE trigger that removes the old document and an AFTER trigger that adds the new one. */
function pair(name: string, event: string, table: string, when: string | null, before: string, after: string): string {
  const condition = when ? ` WHEN ${when}` : '';
  return `
    CREATE TRIGGER history_fts_${name}_before_${event.split(' ')[0]!.toLowerCase()} BEFORE ${event} ON ${table}${condition} BEGIN ${removeDocs(before)} END;
    CREATE TRIGGER history_fts_${name}_after_${event.split(' ')[0]!.toLowerCase()} AFTER ${event} ON ${table}${condition} BEGIN ${addDocs(after)} END;`;
}

const ARM_TEXT = (row: 'OLD' | 'NEW') => `(CASE WHEN ${row}.status IN ('pending', 'streaming') THEN '' ELSE ${row}.text END)`;
const SCORE_KEY_EXISTS = `EXISTS (SELECT 1 FROM scores s WHERE s.run_id = NEW.run_id AND s.arm_index = NEW.arm_index
  AND s.scorer = NEW.scorer AND s.other_arm_index = NEW.other_arm_index)`;

/**
 * Critiques become searchable: a judge's written feedback (the critique behind a verdict, see
 * 0004 scores.feedback) joins the run's search document as a fifth column, `critiques`.
 *
 * FTS5 cannot add a column, so the view, the index and its triggers are made again (the same
 * shape as 0005, generated here) and the index is rebuilt from the view. Scores get triggers of
 * their own, for judges' scores only (a metric's feedback is no critique). An upsert of a score
 * fires BEFORE INSERT and then, on conflict, the UPDATE triggers: the BEFORE INSERT trigger
 * therefore runs only when the key is new, so a document is never removed twice.
 */
export const m0007CritiqueSearch: Migration = {
  version: 7,
  name: 'critique-search',
  up(db) {
    const triggers = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'history\\_fts\\_%' ESCAPE '\\'")
      .pluck()
      .all() as string[];
    for (const name of triggers) db.exec(`DROP TRIGGER "${name}"`);

    db.exec(`
      DROP TABLE history_vocab;
      DROP TABLE history_fts;
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
        (SELECT group_concat(c.feedback, char(10)) FROM (
           SELECT s.feedback FROM scores s
           WHERE s.run_id = r.id AND s.kind = 'judge' AND s.error IS NULL AND s.feedback != ''
           ORDER BY s.arm_index, s.scorer, s.other_arm_index) c) AS critiques
      FROM runs r;

      CREATE VIRTUAL TABLE history_fts USING fts5(
        ${list},
        content = 'history_docs',
        content_rowid = 'rid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE VIRTUAL TABLE history_vocab USING fts5vocab(history_fts, 'row');

      CREATE TRIGGER history_fts_run_insert AFTER INSERT ON runs BEGIN ${addDocs('NEW.rowid')} END;
      CREATE TRIGGER history_fts_run_delete BEFORE DELETE ON runs BEGIN ${removeDocs('OLD.rowid')} END;
      ${pair('run', 'UPDATE OF title, note', 'runs', 'OLD.title IS NOT NEW.title OR OLD.note IS NOT NEW.note', 'OLD.rowid', 'NEW.rowid')}

      ${pair('arm', 'INSERT', 'arm_outputs', null, ridOf('NEW.run_id'), ridOf('NEW.run_id'))}
      ${pair(
        'arm',
        'UPDATE',
        'arm_outputs',
        `OLD.request IS NOT NEW.request OR OLD.run_id IS NOT NEW.run_id OR OLD.arm_index IS NOT NEW.arm_index OR ${ARM_TEXT('OLD')} IS NOT ${ARM_TEXT('NEW')}`,
        `SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)`,
        `SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)`,
      )}
      -- When the run itself is being deleted, its BEFORE DELETE trigger already removed the
      -- document and the cascade finds no run row here, so these do nothing.
      ${pair('arm', 'DELETE', 'arm_outputs', null, ridOf('OLD.run_id'), ridOf('OLD.run_id'))}

      CREATE TRIGGER history_fts_score_before_insert BEFORE INSERT ON scores WHEN NEW.kind = 'judge' AND NOT ${SCORE_KEY_EXISTS}
        BEGIN ${removeDocs(ridOf('NEW.run_id'))} END;
      CREATE TRIGGER history_fts_score_after_insert AFTER INSERT ON scores WHEN NEW.kind = 'judge'
        BEGIN ${addDocs(ridOf('NEW.run_id'))} END;
      ${pair(
        'score',
        'UPDATE',
        'scores',
        `(OLD.kind = 'judge' OR NEW.kind = 'judge') AND (OLD.feedback IS NOT NEW.feedback OR OLD.kind IS NOT NEW.kind OR OLD.error IS NOT NEW.error
          OR OLD.run_id IS NOT NEW.run_id OR OLD.arm_index IS NOT NEW.arm_index OR OLD.scorer IS NOT NEW.scorer OR OLD.other_arm_index IS NOT NEW.other_arm_index)`,
        `SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)`,
        `SELECT rowid FROM runs WHERE id IN (OLD.run_id, NEW.run_id)`,
      )}
      ${pair('score', 'DELETE', 'scores', "OLD.kind = 'judge'", ridOf('OLD.run_id'), ridOf('OLD.run_id'))}

      INSERT INTO history_fts (history_fts) VALUES ('rebuild');
    `);
  },
};
