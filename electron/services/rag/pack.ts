/**
 * A corpus as a section of a workshop pack: its settings, documents with their page texts, and
 * chunks with their vectors (Float32 little-endian, base64), so trainees retrieve offline from
 * exactly what the facilitator indexed. Written as plain JSON; read back through zod, with every
 * vector's length checked against the corpus's dimensions before anything is written.
 *
 * Two carriers: a `.parallax-corpus` file (one corpus, CorpusPackFile) and a workshop pack's
 * `corpora` (PackCorpus: the corpora its runs' retrieve steps use, with their ids and chunk ids,
 * so the runs' steps and citations point at the same corpus and passages after the import).
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { CorpusSettings, EmbeddingModelId } from '../../../shared/rag/types';
import type { Db } from '../store/db';
import { createCorpusRepo } from './repo';
import { vectorKey } from './vectors';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

export const CorpusSection = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(2_000),
  embeddingModel: EmbeddingModelId,
  dimensions: z.number().int().positive(),
  chunkTokens: z.number().int().positive(),
  chunkOverlap: z.number().int().min(0),
  documents: z
    .array(
      z.object({
        name: z.string().min(1).max(255),
        kind: z.enum(['txt', 'md', 'pdf']),
        bytes: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$|^[^\s]{1,128}$/),
        hasPages: z.boolean(),
        chunkTokens: z.number().int().positive(),
        chunkOverlap: z.number().int().min(0),
        addedAt: z.number(),
        pages: z.array(z.object({ page: z.number().int().min(1), text: z.string() })).max(10_000),
        chunks: z
          .array(
            z.object({
              /** The chunk's id where it was exported (workshop packs), kept on import when free. */
              id: z.number().int().positive().optional(),
              position: z.number().int().min(0),
              pageStart: z.number().int().nullable(),
              pageEnd: z.number().int().nullable(),
              tokens: z.number().int().positive(),
              text: z.string(),
              /** base64 Float32 LE, made with vectorKey; absent when the chunk was not embedded. */
              vector: Base64.nullable(),
              vectorKey: z.string().nullable(),
            }),
          )
          .max(1_000_000),
      }),
    )
    .max(10_000),
});
export type CorpusSection = z.infer<typeof CorpusSection>;

/** A corpus inside a workshop pack: the section plus the id the runs' retrieve steps name. */
export const PackCorpus = CorpusSection.extend({ id: z.string().min(1).max(100) });
export type PackCorpus = z.infer<typeof PackCorpus>;

export const CorpusPackFile = z.object({ kind: z.literal('parallax-corpus'), version: z.string(), exportedAt: z.number(), corpus: CorpusSection });

export function exportCorpus(db: Db, corpusId: string, options: { chunkIds?: boolean } = {}): CorpusSection {
  const repo = createCorpusRepo(db);
  const corpus = repo.get(corpusId);
  if (!corpus) throw new AppError('not_found', 'That corpus is no longer there.');
  return {
    name: corpus.name,
    description: corpus.description,
    embeddingModel: corpus.embeddingModel,
    dimensions: corpus.dimensions,
    chunkTokens: corpus.chunkTokens,
    chunkOverlap: corpus.chunkOverlap,
    documents: repo.exportDocuments(corpusId).map(({ document, pages, chunks }) => ({
      name: document.name,
      kind: document.kind,
      bytes: document.bytes,
      sha256: document.sha256,
      hasPages: document.has_pages === 1,
      chunkTokens: document.chunk_tokens,
      chunkOverlap: document.chunk_overlap,
      addedAt: document.added_at,
      pages,
      chunks: chunks.map((chunk) => ({
        ...(options.chunkIds ? { id: chunk.id } : {}),
        position: chunk.position,
        pageStart: chunk.page_start,
        pageEnd: chunk.page_end,
        tokens: chunk.tokens,
        text: chunk.text,
        vector: chunk.vector ? Buffer.from(chunk.vector).toString('base64') : null,
        vectorKey: chunk.vector ? chunk.vector_key : null,
      })),
    })),
  };
}

/** The corpora the runs' retrieve steps use, as a workshop pack carries them (corpora deleted since are left out). */
export function exportPackCorpora(db: Db, corpusIds: Iterable<string>): PackCorpus[] {
  const repo = createCorpusRepo(db);
  return [...new Set(corpusIds)].filter((id) => repo.get(id) !== null).map((id) => ({ id, ...exportCorpus(db, id, { chunkIds: true }) }));
}

/**
 * Writes a pack's corpus as a new corpus (renamed "… (from pack)" when the name is taken); returns
 * its id. With `id`, the corpus keeps that id (a workshop pack's runs name it); its chunks keep
 * their ids too when none of them is taken, so citations in the runs open the same passages.
 */
export function importCorpus(db: Db, input: unknown, options: { id?: string } = {}): string {
  const parsed = CorpusSection.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_input', `The pack's corpus is not valid (${issue?.path.join('.') || 'corpus'}: ${issue?.message ?? 'unreadable'}). Ask for a new export of the pack.`);
  }
  const section = parsed.data;
  const settings = CorpusSettings.parse(section);
  const key = vectorKey(section.embeddingModel, section.dimensions);
  // Check every vector before writing anything.
  const decoded = section.documents.map((document) =>
    document.chunks.map((chunk, index) => {
      if (!chunk.vector) return null;
      const bytes = Buffer.from(chunk.vector, 'base64');
      if (chunk.vectorKey === key && bytes.byteLength !== section.dimensions * 4) {
        throw new AppError('bad_input', `The pack's corpus has a damaged vector (${document.name}, passage ${index + 1}). Ask for a new export of the pack.`);
      }
      return chunk.vectorKey === key ? bytes : null;
    }),
  );
  const repo = createCorpusRepo(db);
  const taken = new Set(repo.list().map((c) => c.name.toLowerCase()));
  let name = section.name;
  for (let n = 1; taken.has(name.toLowerCase()); n++) name = `${section.name} (from pack${n > 1 ? ` ${n}` : ''})`.slice(0, 120);
  const chunkIds = section.documents.flatMap((document) => document.chunks.map((chunk) => chunk.id));
  const keepChunkIds = options.id !== undefined && chunkIds.every((id) => id !== undefined) && new Set(chunkIds).size === chunkIds.length && !repo.anyChunkTaken(chunkIds as number[]);
  return db.transaction(() => {
    const corpus = repo.create({ name, description: section.description, ...settings }, options.id);
    repo.addDocuments(
      section.documents.map((document) => ({
        corpusId: corpus.id,
        id: randomUUID(),
        name: document.name,
        kind: document.kind,
        bytes: document.bytes,
        sha256: document.sha256,
        hasPages: document.hasPages,
        pages: document.pages.map((p) => ({ page: p.page, text: p.text })),
        chunks: document.chunks.map((c) => ({ position: c.position, text: c.text, tokens: c.tokens, pageStart: c.pageStart, pageEnd: c.pageEnd, ...(keepChunkIds ? { id: c.id } : {}) })),
        chunkTokens: document.chunkTokens,
        chunkOverlap: document.chunkOverlap,
        addedAt: document.addedAt,
      })),
      decoded,
      key,
    );
    return corpus.id;
  })();
}

export function encodeCorpusPack(section: CorpusSection, version: string, now: number): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ kind: 'parallax-corpus', version, exportedAt: now, corpus: section }), 'utf8'), { level: 6 });
}

export function decodeCorpusPack(bytes: Uint8Array): CorpusSection {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch {
    throw new AppError('bad_input', 'That file is not a Parallax corpus pack (it could not be unpacked). Choose a .parallax-corpus file exported from Parallax.');
  }
  const parsed = CorpusPackFile.safeParse(json);
  if (!parsed.success) throw new AppError('bad_input', 'That file is not a Parallax corpus pack. Choose a .parallax-corpus file exported from Parallax.');
  return parsed.data.corpus;
}
