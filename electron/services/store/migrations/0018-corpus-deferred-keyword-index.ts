import type { Migration } from './index';

/** The condition the corpus keyword index's INSERT trigger gains (see rag/repo.ts, addDocuments). */
export const CORPUS_KEYWORDS_NOT_DEFERRED = 'NOT EXISTS (SELECT 1 FROM corpus_fts_deferred)';

/**
 * Adding files indexes their chunks' keywords once per batch (issue 11, ingest speed), as
 * History does for imports (0017): a row in `corpus_fts_deferred` pauses the per-row INSERT
 * trigger of corpus_chunks_fts for the transaction that holds it, and that writer indexes the
 * chunks it added in one statement before it commits. Row by row, FTS5 flushed its pending
 * terms at every chunk (each chunk its own tiny segment to merge later), which cost most of the
 * time of adding files. The row never outlives its transaction, so other connections never see
 * it; UPDATE and DELETE triggers are unchanged.
 */
export const m0018CorpusDeferredKeywordIndex: Migration = {
  version: 18,
  name: 'corpus-deferred-keyword-index',
  up(db) {
    db.exec(`
      CREATE TABLE corpus_fts_deferred (paused INTEGER PRIMARY KEY CHECK (paused = 1)) STRICT;
      DROP TRIGGER corpus_chunks_fts_insert;
      CREATE TRIGGER corpus_chunks_fts_insert AFTER INSERT ON corpus_chunks WHEN ${CORPUS_KEYWORDS_NOT_DEFERRED} BEGIN
        INSERT INTO corpus_chunks_fts (rowid, text) VALUES (NEW.id, NEW.text);
      END;
    `);
  },
};
