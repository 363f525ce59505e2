import type { Migration } from './index';

/**
 * Corpora for grounded answers (issue 11). A corpus has its embedding model, dimensions and
 * chunking settings; its documents keep their extracted text page by page (so a change of
 * chunking re-chunks without the original file); chunks keep their text, position, pages and,
 * once embedded, a Float32 little-endian vector with the model@dimensions that made it. A chunk
 * whose vector_key differs from its corpus's is not used for semantic search and is embedded
 * again by the next index job, so a cancelled job leaves a usable partial index.
 *
 * Keyword search (BM25) is an FTS5 external-content index over corpus_chunks (porter stemming),
 * kept in step by triggers. Deleting a corpus or a document removes its chunks (ON DELETE
 * CASCADE, and the delete trigger takes them out of the keyword index).
 */
export const m0011Corpora: Migration = {
  version: 11,
  name: 'corpora',
  up(db) {
    db.exec(`
      CREATE TABLE corpora (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        description TEXT NOT NULL DEFAULT '',
        embedding_model TEXT NOT NULL,
        dimensions INTEGER NOT NULL CHECK (dimensions > 0),
        chunk_tokens INTEGER NOT NULL CHECK (chunk_tokens > 0),
        chunk_overlap INTEGER NOT NULL CHECK (chunk_overlap >= 0 AND chunk_overlap < chunk_tokens),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE corpus_documents (
        id TEXT PRIMARY KEY,
        corpus_id TEXT NOT NULL REFERENCES corpora (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('txt', 'md', 'pdf')),
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        sha256 TEXT NOT NULL,
        has_pages INTEGER NOT NULL CHECK (has_pages IN (0, 1)),
        chunk_tokens INTEGER NOT NULL,
        chunk_overlap INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        UNIQUE (corpus_id, sha256)
      ) STRICT;
      CREATE INDEX corpus_documents_corpus ON corpus_documents (corpus_id, added_at);

      CREATE TABLE corpus_pages (
        document_id TEXT NOT NULL REFERENCES corpus_documents (id) ON DELETE CASCADE,
        page INTEGER NOT NULL CHECK (page >= 1),
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, page)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE corpus_chunks (
        id INTEGER PRIMARY KEY,
        corpus_id TEXT NOT NULL REFERENCES corpora (id) ON DELETE CASCADE,
        document_id TEXT NOT NULL REFERENCES corpus_documents (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        page_start INTEGER,
        page_end INTEGER,
        tokens INTEGER NOT NULL CHECK (tokens > 0),
        text TEXT NOT NULL,
        vector BLOB,
        vector_key TEXT,
        CHECK ((vector IS NULL) = (vector_key IS NULL)),
        UNIQUE (document_id, position)
      ) STRICT;
      CREATE INDEX corpus_chunks_corpus ON corpus_chunks (corpus_id, vector_key);

      CREATE VIRTUAL TABLE corpus_chunks_fts USING fts5 (
        text,
        content = 'corpus_chunks',
        content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER corpus_chunks_fts_insert AFTER INSERT ON corpus_chunks BEGIN
        INSERT INTO corpus_chunks_fts (rowid, text) VALUES (NEW.id, NEW.text);
      END;
      CREATE TRIGGER corpus_chunks_fts_delete AFTER DELETE ON corpus_chunks BEGIN
        INSERT INTO corpus_chunks_fts (corpus_chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
      END;
      CREATE TRIGGER corpus_chunks_fts_update AFTER UPDATE OF text ON corpus_chunks BEGIN
        INSERT INTO corpus_chunks_fts (corpus_chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
        INSERT INTO corpus_chunks_fts (rowid, text) VALUES (NEW.id, NEW.text);
      END;
    `);
  },
};
