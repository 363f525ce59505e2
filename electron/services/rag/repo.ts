/**
 * Every SQL statement on the corpora tables (migration 0011). Rows read back are parsed with
 * zod; text from files reaches SQL only as bound parameters.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PageText, TextChunk } from '../../../shared/rag/chunk';
import { EmbeddingModelId, type CorpusDocument, type CorpusSettings, type CorpusSummary, type DocumentKind } from '../../../shared/rag/types';
import type { Db } from '../store/db';
import { encodeVector, vectorKey } from './vectors';

const CorpusRow = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  embedding_model: EmbeddingModelId,
  dimensions: z.number().int(),
  chunk_tokens: z.number().int(),
  chunk_overlap: z.number().int(),
  created_at: z.number(),
  updated_at: z.number(),
  document_count: z.number().int(),
  chunk_count: z.number().int(),
  embedded_count: z.number().int(),
  stale_documents: z.number().int(),
});

const DocumentRow = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['txt', 'md', 'pdf']),
  bytes: z.number().int(),
  has_pages: z.number().int(),
  page_count: z.number().int(),
  chunk_count: z.number().int(),
  embedded_count: z.number().int(),
  chunk_tokens: z.number().int(),
  chunk_overlap: z.number().int(),
  added_at: z.number(),
});

const ChunkRow = z.object({
  id: z.number().int(),
  document_id: z.string(),
  document_name: z.string(),
  position: z.number().int(),
  page_start: z.number().int().nullable(),
  page_end: z.number().int().nullable(),
  text: z.string(),
});
export type StoredChunk = z.infer<typeof ChunkRow>;

const PendingRow = z.object({ id: z.number().int(), text: z.string() });
const ScoredRow = z.object({ id: z.number().int(), score: z.number() });
const VectorRow = z.object({ id: z.number().int(), vector: z.instanceof(Uint8Array) });
const PageRow = z.object({ page: z.number().int(), text: z.string() });

export interface NewDocument {
  corpusId: string;
  name: string;
  kind: DocumentKind;
  bytes: number;
  sha256: string;
  hasPages: boolean;
  pages: readonly PageText[];
  /** With `id` only from a pack whose chunk ids are all free here. */
  chunks: readonly (TextChunk & { id?: number })[];
  chunkTokens: number;
  chunkOverlap: number;
  /** Kept as-is (packs carry the original time); now() otherwise. */
  addedAt?: number;
  id?: string;
}

export interface ChunkVector {
  id: number;
  vector: ArrayLike<number> | Uint8Array;
}

const SUMMARY_SQL = `
  SELECT c.*,
    (SELECT COUNT(*) FROM corpus_documents d WHERE d.corpus_id = c.id) AS document_count,
    (SELECT COUNT(*) FROM corpus_chunks k WHERE k.corpus_id = c.id) AS chunk_count,
    (SELECT COUNT(*) FROM corpus_chunks k WHERE k.corpus_id = c.id AND k.vector_key = c.embedding_model || '@' || c.dimensions) AS embedded_count,
    (SELECT COUNT(*) FROM corpus_documents d WHERE d.corpus_id = c.id AND (d.chunk_tokens != c.chunk_tokens OR d.chunk_overlap != c.chunk_overlap)) AS stale_documents
  FROM corpora c`;

function toSummary(row: unknown): CorpusSummary {
  const r = CorpusRow.parse(row);
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    embeddingModel: r.embedding_model,
    dimensions: r.dimensions,
    chunkTokens: r.chunk_tokens,
    chunkOverlap: r.chunk_overlap,
    documentCount: r.document_count,
    chunkCount: r.chunk_count,
    embeddedCount: r.embedded_count,
    staleDocuments: r.stale_documents,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDocument(row: unknown): CorpusDocument {
  const r = DocumentRow.parse(row);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    bytes: r.bytes,
    pages: r.has_pages ? r.page_count : null,
    chunkCount: r.chunk_count,
    embeddedCount: r.embedded_count,
    chunkTokens: r.chunk_tokens,
    chunkOverlap: r.chunk_overlap,
    addedAt: r.added_at,
  };
}

export function createCorpusRepo(db: Db, now: () => number = Date.now) {
  const insertCorpus = db.prepare(
    `INSERT INTO corpora (id, name, description, embedding_model, dimensions, chunk_tokens, chunk_overlap, created_at, updated_at)
     VALUES (@id, @name, @description, @embeddingModel, @dimensions, @chunkTokens, @chunkOverlap, @createdAt, @updatedAt)`,
  );
  const selectCorpus = db.prepare(`${SUMMARY_SQL} WHERE c.id = ?`);
  // The corpus without its counts (each a scan of its chunks): what retrieval needs per question.
  const selectCorpusHead = db.prepare(
    'SELECT c.*, 0 AS document_count, -1 AS chunk_count, -1 AS embedded_count, 0 AS stale_documents FROM corpora c WHERE c.id = ?',
  );
  const countChunks = db.prepare('SELECT COUNT(*) FROM corpus_chunks WHERE corpus_id = ?').pluck();
  const selectCorpora = db.prepare(`${SUMMARY_SQL} ORDER BY c.name COLLATE NOCASE, c.created_at`);
  const updateCorpus = db.prepare(
    `UPDATE corpora SET name = @name, description = @description, embedding_model = @embeddingModel, dimensions = @dimensions,
       chunk_tokens = @chunkTokens, chunk_overlap = @chunkOverlap, updated_at = @updatedAt WHERE id = @id`,
  );
  const touchCorpus = db.prepare('UPDATE corpora SET updated_at = ? WHERE id = ?');
  const deleteCorpus = db.prepare('DELETE FROM corpora WHERE id = ?');
  const selectDocuments = db.prepare(
    `SELECT d.id, d.name, d.kind, d.bytes, d.has_pages, d.chunk_tokens, d.chunk_overlap, d.added_at,
       (SELECT COUNT(*) FROM corpus_pages p WHERE p.document_id = d.id) AS page_count,
       (SELECT COUNT(*) FROM corpus_chunks k WHERE k.document_id = d.id) AS chunk_count,
       (SELECT COUNT(*) FROM corpus_chunks k WHERE k.document_id = d.id AND k.vector_key = ?) AS embedded_count
     FROM corpus_documents d WHERE d.corpus_id = ? ORDER BY d.added_at, d.rowid`,
  );
  const selectDocumentBySha = db.prepare('SELECT name FROM corpus_documents WHERE corpus_id = ? AND sha256 = ?').pluck();
  const insertDocument = db.prepare(
    `INSERT INTO corpus_documents (id, corpus_id, name, kind, bytes, sha256, has_pages, chunk_tokens, chunk_overlap, added_at)
     VALUES (@id, @corpusId, @name, @kind, @bytes, @sha256, @hasPages, @chunkTokens, @chunkOverlap, @addedAt)`,
  );
  const insertPage = db.prepare('INSERT INTO corpus_pages (document_id, page, text) VALUES (?, ?, ?)');
  const insertChunk = db.prepare(
    `INSERT INTO corpus_chunks (corpus_id, document_id, position, page_start, page_end, tokens, text, vector, vector_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertChunkWithId = db.prepare(
    `INSERT INTO corpus_chunks (id, corpus_id, document_id, position, page_start, page_end, tokens, text, vector, vector_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectTakenChunk = db.prepare('SELECT 1 FROM corpus_chunks WHERE id IN (SELECT value FROM json_each(?)) LIMIT 1').pluck();
  const deleteDocument = db.prepare('DELETE FROM corpus_documents WHERE id = ? AND corpus_id = ?');
  const deleteChunksOf = db.prepare('DELETE FROM corpus_chunks WHERE document_id = ?');
  const setDocumentChunking = db.prepare('UPDATE corpus_documents SET chunk_tokens = ?, chunk_overlap = ? WHERE id = ?');
  const selectStaleDocuments = db
    .prepare(
      `SELECT d.id FROM corpus_documents d JOIN corpora c ON c.id = d.corpus_id
       WHERE d.corpus_id = ? AND (d.chunk_tokens != c.chunk_tokens OR d.chunk_overlap != c.chunk_overlap) ORDER BY d.added_at`,
    )
    .pluck();
  const selectPages = db.prepare('SELECT page, text FROM corpus_pages WHERE document_id = ? ORDER BY page');
  const selectHasPages = db.prepare('SELECT has_pages FROM corpus_documents WHERE id = ?').pluck();
  const selectPending = db.prepare(
    `SELECT id, text FROM corpus_chunks WHERE corpus_id = ? AND (vector_key IS NULL OR vector_key != ?) ORDER BY id LIMIT ?`,
  );
  const countPending = db.prepare('SELECT COUNT(*) FROM corpus_chunks WHERE corpus_id = ? AND (vector_key IS NULL OR vector_key != ?)').pluck();
  const updateVector = db.prepare('UPDATE corpus_chunks SET vector = ?, vector_key = ? WHERE id = ?');
  const selectVectors = db.prepare('SELECT id, vector FROM corpus_chunks WHERE corpus_id = ? AND vector_key = ? ORDER BY id');
  const countVectors = db.prepare('SELECT COUNT(*) FROM corpus_chunks WHERE corpus_id = ? AND vector_key = ?').pluck();
  // CROSS JOIN keeps the keyword index as the outer loop: a plain JOIN lets the planner walk every
  // chunk of the corpus and probe the index for each (seconds instead of milliseconds at 20k chunks).
  const selectBm25 = db.prepare(
    `SELECT c.id AS id, -bm25(corpus_chunks_fts) AS score
     FROM corpus_chunks_fts CROSS JOIN corpus_chunks c ON c.id = corpus_chunks_fts.rowid
     WHERE corpus_chunks_fts MATCH ? AND c.corpus_id = ?
     ORDER BY bm25(corpus_chunks_fts) LIMIT ?`,
  );
  // `+corpus_id`: walk the chunks in id order (a page costs its own rows), not the corpus index
  // and a sort of everything after `id` for every page.
  const selectChunkTexts = db.prepare('SELECT id, text FROM corpus_chunks WHERE +corpus_id = ? AND id > ? ORDER BY id LIMIT ?');
  const selectChunk = db.prepare(
    `SELECT k.id, k.document_id, d.name AS document_name, k.position, k.page_start, k.page_end, k.text
     FROM corpus_chunks k JOIN corpus_documents d ON d.id = k.document_id WHERE k.id = ?`,
  );
  const selectChunkCorpus = db.prepare('SELECT corpus_id FROM corpus_chunks WHERE id = ?').pluck();
  const selectAllChunks = db.prepare(
    `SELECT k.id, k.document_id, d.name AS document_name, k.position, k.page_start, k.page_end, k.text, k.tokens, k.vector, k.vector_key
     FROM corpus_chunks k JOIN corpus_documents d ON d.id = k.document_id WHERE k.document_id = ? ORDER BY k.position`,
  );
  const selectDocumentIds = db.prepare('SELECT id, name, kind, bytes, sha256, has_pages, chunk_tokens, chunk_overlap, added_at FROM corpus_documents WHERE corpus_id = ? ORDER BY added_at, rowid');

  // Keyword indexing paused for the writer's own transaction (migration 0018): its chunks are
  // indexed in one statement before it commits, not one FTS5 flush per chunk.
  const pauseKeywords = db.prepare('INSERT OR IGNORE INTO corpus_fts_deferred (paused) VALUES (1)');
  const resumeKeywords = db.prepare('DELETE FROM corpus_fts_deferred');
  const indexKeywordsOf = db.prepare(
    `INSERT INTO corpus_chunks_fts (rowid, text)
     SELECT id, text FROM corpus_chunks WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  );
  /** Runs `write` with keyword indexing paused, then indexes the chunks of the documents it names. */
  const withDeferredKeywords = db.transaction(<T>(write: () => { result: T; documentIds: readonly string[] }): T => {
    pauseKeywords.run();
    const { result, documentIds } = write();
    resumeKeywords.run();
    if (documentIds.length > 0) indexKeywordsOf.run(JSON.stringify(documentIds));
    return result;
  }) as <T>(write: () => { result: T; documentIds: readonly string[] }) => T;

  function insertDocumentRows(doc: NewDocument, vectors?: readonly (Uint8Array | null)[], key?: string | null): string {
    const id = doc.id ?? randomUUID();
    insertDocument.run({
      id,
      corpusId: doc.corpusId,
      name: doc.name,
      kind: doc.kind,
      bytes: doc.bytes,
      sha256: doc.sha256,
      hasPages: doc.hasPages ? 1 : 0,
      chunkTokens: doc.chunkTokens,
      chunkOverlap: doc.chunkOverlap,
      addedAt: doc.addedAt ?? now(),
    });
    doc.pages.forEach((page, index) => insertPage.run(id, page.page ?? index + 1, page.text));
    doc.chunks.forEach((chunk, index) => {
      const vector = vectors?.[index] ?? null;
      const values = [doc.corpusId, id, chunk.position, chunk.pageStart, chunk.pageEnd, chunk.tokens, chunk.text, vector, vector ? key ?? null : null] as const;
      if (chunk.id !== undefined) insertChunkWithId.run(chunk.id, ...values);
      else insertChunk.run(...values);
    });
    return id;
  }

  /**
   * Stores documents with their pages and chunks in one transaction (all or none), keyword
   * index included; returns their ids in order. `vectors[i]` are document i's chunk vectors
   * made with `key` (packs), if any.
   */
  function addDocuments(docs: readonly NewDocument[], vectors?: readonly (readonly (Uint8Array | null)[] | undefined)[], key?: string | null): string[] {
    if (docs.length === 0) return [];
    return withDeferredKeywords(() => {
      const ids = docs.map((doc, index) => insertDocumentRows(doc, vectors?.[index], key));
      for (const corpusId of new Set(docs.map((doc) => doc.corpusId))) touchCorpus.run(now(), corpusId);
      return { result: ids, documentIds: ids };
    });
  }

  function addDocument(doc: NewDocument, vectors?: readonly (Uint8Array | null)[], key?: string | null): string {
    return addDocuments([doc], [vectors], key)[0]!;
  }

  return {
    create(input: { name: string; description: string } & CorpusSettings, id: string = randomUUID()): CorpusSummary {
      const at = now();
      insertCorpus.run({ id, ...input, createdAt: at, updatedAt: at });
      return toSummary(selectCorpus.get(id));
    },
    get(id: string): CorpusSummary | null {
      const row = selectCorpus.get(id);
      return row ? toSummary(row) : null;
    },
    /** Name and settings only: documentCount 0 and chunkCount, embeddedCount -1 (not counted). */
    head(id: string): CorpusSummary | null {
      const row = selectCorpusHead.get(id);
      return row ? toSummary(row) : null;
    },
    chunkCount(id: string): number {
      return z.number().int().parse(countChunks.get(id));
    },
    list(): CorpusSummary[] {
      return selectCorpora.all().map(toSummary);
    },
    update(id: string, input: { name: string; description: string } & CorpusSettings): void {
      updateCorpus.run({ id, ...input, updatedAt: now() });
    },
    remove(id: string): boolean {
      return deleteCorpus.run(id).changes > 0;
    },
    documents(corpus: CorpusSummary): CorpusDocument[] {
      return selectDocuments.all(vectorKey(corpus.embeddingModel, corpus.dimensions), corpus.id).map(toDocument);
    },
    /** The name of the document already holding these exact bytes, if any. */
    duplicateOf(corpusId: string, sha256: string): string | null {
      const name = selectDocumentBySha.get(corpusId, sha256);
      return typeof name === 'string' ? name : null;
    },
    addDocument,
    addDocuments,
    /** Whether any of these chunk ids is used (a pack's chunks keep their ids only when none is). */
    anyChunkTaken(ids: readonly number[]): boolean {
      return ids.length > 0 && selectTakenChunk.get(JSON.stringify(ids)) === 1;
    },
    removeDocument: db.transaction((corpusId: string, documentId: string): boolean => {
      const removed = deleteDocument.run(documentId, corpusId).changes > 0;
      if (removed) touchCorpus.run(now(), corpusId);
      return removed;
    }),
    staleDocuments(corpusId: string): string[] {
      return z.array(z.string()).parse(selectStaleDocuments.all(corpusId));
    },
    pages(documentId: string): PageText[] {
      const hasPages = selectHasPages.get(documentId) === 1;
      return selectPages.all(documentId).map((row) => {
        const r = PageRow.parse(row);
        return { page: hasPages ? r.page : null, text: r.text };
      });
    },
    replaceChunks(corpusId: string, documentId: string, chunks: readonly TextChunk[], size: number, overlap: number): void {
      withDeferredKeywords(() => {
        deleteChunksOf.run(documentId);
        for (const chunk of chunks) insertChunk.run(corpusId, documentId, chunk.position, chunk.pageStart, chunk.pageEnd, chunk.tokens, chunk.text, null, null);
        setDocumentChunking.run(size, overlap, documentId);
        touchCorpus.run(now(), corpusId);
        return { result: undefined, documentIds: [documentId] };
      });
    },
    pending(corpusId: string, key: string, limit: number): { id: number; text: string }[] {
      return selectPending.all(corpusId, key, limit).map((row) => PendingRow.parse(row));
    },
    pendingCount(corpusId: string, key: string): number {
      return z.number().int().parse(countPending.get(corpusId, key));
    },
    setVectors: db.transaction((corpusId: string, key: string, vectors: readonly ChunkVector[]) => {
      for (const { id, vector } of vectors) updateVector.run(vector instanceof Uint8Array ? vector : encodeVector(vector), key, id);
      touchCorpus.run(now(), corpusId);
    }),
    vectorCount(corpusId: string, key: string): number {
      return z.number().int().parse(countVectors.get(corpusId, key));
    },
    /** Every vector of the corpus made with `key`, in chunk id order. */
    *vectors(corpusId: string, key: string): Generator<{ id: number; vector: Uint8Array }> {
      for (const row of selectVectors.iterate(corpusId, key)) yield VectorRow.parse(row);
    },
    /** FTS5's own bm25() ranking: the reference the in-memory keyword index matches, and its fallback. */
    bm25(corpusId: string, match: string, limit: number): { id: number; score: number }[] {
      return selectBm25.all(match, corpusId, limit).map((row) => ScoredRow.parse(row));
    },
    /** A page of the corpus's chunk texts in id order, after chunk `afterId`. */
    chunkTexts(corpusId: string, afterId: number, limit: number): { id: number; text: string }[] {
      return selectChunkTexts.all(corpusId, afterId, limit).map((row) => PendingRow.parse(row));
    },
    chunk(id: number): StoredChunk | null {
      const row = selectChunk.get(id);
      return row ? ChunkRow.parse(row) : null;
    },
    chunkCorpus(id: number): string | null {
      const value = selectChunkCorpus.get(id);
      return typeof value === 'string' ? value : null;
    },
    /** Everything of a corpus, for packs: documents with their pages and chunks (vectors as stored). */
    exportDocuments(corpusId: string) {
      return selectDocumentIds.all(corpusId).map((row) => {
        const d = z
          .object({ id: z.string(), name: z.string(), kind: z.enum(['txt', 'md', 'pdf']), bytes: z.number().int(), sha256: z.string(), has_pages: z.number().int(), chunk_tokens: z.number().int(), chunk_overlap: z.number().int(), added_at: z.number() })
          .parse(row);
        const chunks = selectAllChunks.all(d.id).map((chunkRow) =>
          ChunkRow.extend({ tokens: z.number().int(), vector: z.instanceof(Uint8Array).nullable(), vector_key: z.string().nullable() }).parse(chunkRow),
        );
        return { document: d, pages: selectPages.all(d.id).map((p) => PageRow.parse(p)), chunks };
      });
    },
  };
}

export type CorpusRepo = ReturnType<typeof createCorpusRepo>;
