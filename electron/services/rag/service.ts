/**
 * Corpora (issue 11): create, add files (from disk or dropped bytes), chunk, embed in batches
 * with progress and cancel, re-index after a change of model or chunking, retrieve.
 * Pure Node: takes its database, an embedding function and a file reader as arguments.
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../../../shared/errors';
import { chunkPages, chunkSettingsProblem } from '../../../shared/rag/chunk';
import { reciprocalRankFusion } from '../../../shared/rag/rank';
import { queryTerms } from '../../../shared/rag/tokens';
import {
  DEFAULT_TOP_K,
  dimensionsProblem,
  EMBEDDING_MODELS,
  type CorpusDetail,
  type CorpusSettings,
  type CorpusSummary,
  type ImportReport,
  type IndexProgress,
  type RetrievalMode,
  type RetrievalResult,
  type RetrievedChunk,
} from '../../../shared/rag/types';
import type { Db } from '../store/db';
import { ingestFiles, type IngestFile, type IngestResult } from './ingest';
import { createCorpusRepo, type StoredChunk } from './repo';
import { buildKeywordIndex, createKeywordStats, createLexicon, scoreKeywords, type KeywordIndex, type Lexicon } from './keyword-index';
import { loadVectorIndex, matchExpression, matchTerms, quoteTerm, topK, type VectorIndex } from './search';
import { normalizeInPlace, vectorKey } from './vectors';

export interface EmbedFn {
  (texts: readonly string[], options: { modelId: string; dimensions?: 256 | 512 | 1024; normalize?: boolean; signal?: AbortSignal; concurrency?: number }): Promise<{ vector: number[] }[]>;
}

export interface RagDeps {
  db: Db;
  now?: () => number;
  /** Bedrock's embedMany (the real SDK; the fake in tests). */
  embedMany: EmbedFn;
  /** Texts per embedding batch (one progress step, one transaction). */
  batchSize?: number;
  /** Embedding calls in flight at once. */
  concurrency?: number;
  /** Runs ingestion as a store job (the database worker thread in the app); inline when omitted. */
  ingest?: (corpusId: string, files: readonly IngestFile[], label: string) => Promise<IngestResult>;
}

export type FileInput = IngestFile;

export interface RetrieveRequest {
  corpusId: string;
  question: string;
  mode: RetrievalMode;
  k?: number;
  signal?: AbortSignal;
}

const CANDIDATES_FOR_FUSION = 50;

function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

const MAX_CORPUS_NAME = 120;

export function createRagService(deps: RagDeps) {
  const now = deps.now ?? Date.now;
  const repo = createCorpusRepo(deps.db, now);
  const batchSize = deps.batchSize ?? 16;
  const concurrency = deps.concurrency ?? 4;
  /** Bumped on every write to a corpus; the vector cache reloads when it moved. */
  const generations = new Map<string, number>();
  /** Bumped when a corpus's passages change (not when they are embedded): the keyword index and chunk count follow it. */
  const textGenerations = new Map<string, number>();
  const vectorCache = new Map<string, VectorIndex>();
  const keywordCache = new Map<string, KeywordIndex>();
  const keywordBuilds = new Map<string, { generation: number; done: Promise<KeywordIndex> }>();
  /** A corpus's last keyword index while only passages were added since (files added): extended, not rebuilt. */
  const keywordBases = new Map<string, KeywordIndex>();
  let lexicon: Lexicon | null | undefined;
  const keywordStats = createKeywordStats(deps.db);
  const jobs = new Map<string, { controller: AbortController; done: Promise<IndexProgress> }>();
  const listeners = new Set<(progress: IndexProgress) => void>();

  /** `appended`: passages were only added (new, higher ids); `vectors`: only embedded. */
  const bump = (corpusId: string, scope: 'all' | 'appended' | 'vectors' = 'all') => {
    generations.set(corpusId, (generations.get(corpusId) ?? 0) + 1);
    vectorCache.delete(corpusId);
    if (scope === 'vectors') return;
    textGenerations.set(corpusId, (textGenerations.get(corpusId) ?? 0) + 1);
    const cached = keywordCache.get(corpusId);
    keywordCache.delete(corpusId);
    if (scope === 'appended' && cached) keywordBases.set(corpusId, cached);
    else if (scope !== 'appended') keywordBases.delete(corpusId);
  };

  const chunkTotals = new Map<string, { generation: number; count: number }>();
  /** The corpus's chunk count, counted once per generation (retrieval needs it for its note). */
  function chunkTotal(corpusId: string): number {
    const generation = textGenerations.get(corpusId) ?? 0;
    const cached = chunkTotals.get(corpusId);
    if (cached && cached.generation === generation) return cached.count;
    const count = repo.chunkCount(corpusId);
    chunkTotals.set(corpusId, { generation, count });
    return count;
  }

  function mustGet(corpusId: string): CorpusSummary {
    const corpus = repo.get(corpusId);
    if (!corpus) throw new AppError('not_found', 'That corpus is no longer there. It may have been deleted.');
    return corpus;
  }

  function checkSettings(settings: CorpusSettings): void {
    const problem = chunkSettingsProblem({ size: settings.chunkTokens, overlap: settings.chunkOverlap }) ?? dimensionsProblem(settings.embeddingModel, settings.dimensions);
    if (problem) throw new AppError('bad_input', problem);
  }

  function checkName(name: string, exceptId?: string): string {
    const clean = normalizeName(name);
    if (!clean) throw new AppError('bad_input', 'Give the corpus a name.');
    if (clean.length > MAX_CORPUS_NAME) throw new AppError('bad_input', `A corpus name can be at most ${MAX_CORPUS_NAME} characters (this one has ${clean.length}). Shorten it.`);
    if (repo.list().some((corpus) => corpus.id !== exceptId && corpus.name.toLowerCase() === clean.toLowerCase())) {
      throw new AppError('conflict', `A corpus named "${clean}" already exists. Choose another name.`);
    }
    return clean;
  }

  function emit(progress: IndexProgress): void {
    for (const listener of listeners) listener(progress);
  }

  function vectorIndex(corpus: CorpusSummary): VectorIndex {
    const key = vectorKey(corpus.embeddingModel, corpus.dimensions);
    const generation = generations.get(corpus.id) ?? 0;
    const cached = vectorCache.get(corpus.id);
    if (cached && cached.key === key && cached.generation === generation) return cached;
    const index = loadVectorIndex(repo, corpus.id, key, corpus.dimensions, generation);
    vectorCache.set(corpus.id, index);
    return index;
  }

  async function addFiles(corpusId: string, files: readonly FileInput[]): Promise<ImportReport> {
    const corpus = mustGet(corpusId);
    const label = `Adding ${files.length === 1 ? `"${basename(files[0]!.name)}"` : `${files.length} files`} to "${corpus.name}"`;
    const result = deps.ingest ? await deps.ingest(corpusId, files, label) : await ingestFiles(deps.db, corpusId, files);
    bump(corpusId, 'appended');
    const added = new Set(result.addedIds);
    return { added: repo.documents(mustGet(corpusId)).filter((document) => added.has(document.id)), problems: result.problems };
  }

  /** Re-chunks documents chunked with other settings, one document per slice of the event loop. */
  async function rechunkStale(corpus: CorpusSummary, signal: AbortSignal): Promise<void> {
    for (const documentId of repo.staleDocuments(corpus.id)) {
      if (signal.aborted) return;
      const chunks = chunkPages(repo.pages(documentId), { size: corpus.chunkTokens, overlap: corpus.chunkOverlap });
      repo.replaceChunks(corpus.id, documentId, chunks, corpus.chunkTokens, corpus.chunkOverlap);
      bump(corpus.id);
      await yieldToEventLoop();
    }
  }

  async function runIndex(corpus: CorpusSummary, controller: AbortController): Promise<IndexProgress> {
    const { signal } = controller;
    const key = vectorKey(corpus.embeddingModel, corpus.dimensions);
    const progress: IndexProgress = { corpusId: corpus.id, corpusName: corpus.name, done: 0, total: 0, ratePerSecond: null, etaSeconds: null, finished: false, cancelled: false, error: null };
    const started = performance.now();
    try {
      await rechunkStale(corpus, signal);
      progress.total = repo.pendingCount(corpus.id, key);
      emit({ ...progress });
      const dimensions = corpus.embeddingModel === 'amazon.titan-embed-text-v2:0' ? (corpus.dimensions as 256 | 512 | 1024) : undefined;
      while (!signal.aborted) {
        const batch = repo.pending(corpus.id, key, batchSize);
        if (batch.length === 0) break;
        const embeddings = await deps.embedMany(
          batch.map((chunk) => chunk.text),
          { modelId: corpus.embeddingModel, ...(dimensions ? { dimensions } : {}), normalize: true, signal, concurrency },
        );
        const wrong = embeddings.find((embedding) => embedding.vector.length !== corpus.dimensions);
        if (wrong) throw new AppError('bedrock', `The embedding model answered with ${wrong.vector.length} dimensions, not the ${corpus.dimensions} this corpus uses. Check the corpus's model and dimensions.`);
        repo.setVectors(corpus.id, key, batch.map((chunk, index) => ({ id: chunk.id, vector: embeddings[index]!.vector })));
        bump(corpus.id, 'vectors'); // the passages' text is unchanged: the keyword index stays
        progress.done += batch.length;
        const seconds = (performance.now() - started) / 1000;
        progress.ratePerSecond = seconds > 0 ? progress.done / seconds : null;
        progress.etaSeconds = progress.ratePerSecond ? Math.max(0, (progress.total - progress.done) / progress.ratePerSecond) : null;
        emit({ ...progress });
      }
      progress.cancelled = signal.aborted;
    } catch (error) {
      if (signal.aborted) progress.cancelled = true;
      else progress.error = error instanceof Error ? error.message : String(error);
    }
    progress.finished = true;
    progress.etaSeconds = progress.cancelled || progress.error ? null : 0;
    emit({ ...progress });
    return progress;
  }

  function toRetrieved(chunks: Map<number, StoredChunk>, ranked: readonly { id: number; score: number }[]): RetrievedChunk[] {
    return ranked.flatMap(({ id, score }, index) => {
      const chunk = chunks.get(id) ?? repo.chunk(id);
      if (!chunk) return [];
      return [{ chunkId: chunk.id, rank: index + 1, score, documentId: chunk.document_id, documentName: chunk.document_name, position: chunk.position, pageStart: chunk.page_start, pageEnd: chunk.page_end, text: chunk.text }];
    });
  }

  async function semantic(corpus: CorpusSummary, question: string, k: number, signal?: AbortSignal): Promise<{ ranked: { id: number; score: number }[]; note: string | null }> {
    const index = vectorIndex(corpus);
    if (index.count === 0) {
      throw new AppError('bad_input', `No chunk of "${corpus.name}" is embedded with ${EMBEDDING_MODELS[corpus.embeddingModel].name} yet. Index the corpus in Corpora (this needs Bedrock), or use Keyword mode, which works offline.`);
    }
    const dimensions = corpus.embeddingModel === 'amazon.titan-embed-text-v2:0' ? (corpus.dimensions as 256 | 512 | 1024) : undefined;
    const [embedding] = await deps.embedMany([question], { modelId: corpus.embeddingModel, ...(dimensions ? { dimensions } : {}), normalize: true, ...(signal ? { signal } : {}), concurrency: 1 });
    if (!embedding || embedding.vector.length !== corpus.dimensions) throw new AppError('bedrock', 'The embedding model answered the question with a vector of the wrong size.');
    const query = Float32Array.from(embedding.vector);
    normalizeInPlace(query);
    const total = chunkTotal(corpus.id);
    const note = index.count < total ? `Only ${index.count} of ${total} chunks are embedded; semantic search looked at those. Index the corpus to finish.` : null;
    return { ranked: topK(index, query, k), note };
  }

  async function keywordIndex(corpus: CorpusSummary, words: Lexicon): Promise<KeywordIndex> {
    for (;;) {
      const generation = textGenerations.get(corpus.id) ?? 0;
      const cached = keywordCache.get(corpus.id);
      if (cached && cached.generation === generation) return cached;
      let build = keywordBuilds.get(corpus.id);
      if (!build || build.generation !== generation) {
        const base = keywordBases.get(corpus.id);
        const chunks = function* () {
          let after = base && base.chunkIds.length > 0 ? base.chunkIds[base.chunkIds.length - 1]! : 0;
          for (;;) {
            const page = repo.chunkTexts(corpus.id, after, 1_000);
            if (page.length === 0) return;
            yield* page;
            after = page[page.length - 1]!.id;
          }
        };
        build = { generation, done: buildKeywordIndex(words, chunks, generation, base) };
        keywordBuilds.set(corpus.id, build);
      }
      const index = await build.done.finally(() => {
        if (keywordBuilds.get(corpus.id) === build) keywordBuilds.delete(corpus.id);
      });
      // A write while it was being built: build again from what is stored now.
      if ((textGenerations.get(corpus.id) ?? 0) === index.generation) {
        keywordCache.set(corpus.id, index);
        keywordBases.delete(corpus.id);
        return index;
      }
    }
  }

  /** BM25 top-k: the in-memory index (FTS5's exact scores), or FTS5's query where the index cannot answer. */
  async function keyword(corpus: CorpusSummary, question: string, k: number): Promise<{ id: number; score: number }[]> {
    const match = matchExpression(question);
    if (!match) return [];
    if (lexicon === undefined) lexicon = createLexicon(deps.db);
    const stats = keywordStats();
    if (!lexicon || !stats) return repo.bm25(corpus.id, match, k);
    const tokens: { token: string; quoted: string }[] = [];
    for (const term of matchTerms(question)) {
      const read = lexicon.tokenize(term);
      if (read.length !== 1) return repo.bm25(corpus.id, match, k); // a phrase of several tokens needs positions
      tokens.push({ token: read[0]!, quoted: quoteTerm(term) });
    }
    const index = await keywordIndex(corpus, lexicon);
    // A term no chunk of this corpus holds has no id (or no postings here): it adds nothing.
    const phrases = tokens.flatMap(({ token, quoted }) => {
      const id = lexicon!.id(token);
      return id === undefined ? [] : [{ term: id, quoted }];
    });
    return scoreKeywords(index, phrases, stats, k);
  }

  return {
    repo,
    onProgress(listener: (progress: IndexProgress) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list: () => repo.list(),
    detail(corpusId: string): CorpusDetail {
      const corpus = mustGet(corpusId);
      return { corpus, documents: repo.documents(corpus) };
    },
    create(input: { name: string; description?: string } & CorpusSettings): CorpusSummary {
      checkSettings(input);
      const name = checkName(input.name);
      return repo.create({ ...input, name, description: input.description?.trim() ?? '' });
    },
    update(corpusId: string, input: { name: string; description?: string } & CorpusSettings): CorpusSummary {
      const corpus = mustGet(corpusId);
      if (jobs.has(corpusId)) throw new AppError('conflict', `"${corpus.name}" is being indexed. Cancel the indexing first, or wait for it to finish.`);
      checkSettings(input);
      const name = checkName(input.name, corpusId);
      repo.update(corpusId, { ...input, name, description: input.description?.trim() ?? corpus.description });
      bump(corpusId);
      return mustGet(corpusId);
    },
    remove(corpusId: string): void {
      jobs.get(corpusId)?.controller.abort();
      if (!repo.remove(corpusId)) throw new AppError('not_found', 'That corpus is no longer there.');
      bump(corpusId);
    },
    addFiles,
    async addPaths(corpusId: string, paths: readonly string[]): Promise<ImportReport> {
      return addFiles(corpusId, paths.map((path) => ({ name: basename(path), path })));
    },
    removeDocument(corpusId: string, documentId: string): CorpusDetail {
      if (!repo.removeDocument(corpusId, documentId)) throw new AppError('not_found', 'That document is no longer in the corpus.');
      bump(corpusId);
      const corpus = mustGet(corpusId);
      return { corpus, documents: repo.documents(corpus) };
    },
    /** Starts (or joins) the corpus's index job: re-chunk what is stale, embed what is missing. */
    startIndex(corpusId: string): Promise<IndexProgress> {
      const running = jobs.get(corpusId);
      if (running) return running.done;
      const corpus = mustGet(corpusId);
      const controller = new AbortController();
      const done = runIndex(corpus, controller).finally(() => jobs.delete(corpusId));
      jobs.set(corpusId, { controller, done });
      return done;
    },
    cancelIndex(corpusId: string): boolean {
      const job = jobs.get(corpusId);
      job?.controller.abort();
      return Boolean(job);
    },
    indexing(corpusId: string): boolean {
      return jobs.has(corpusId);
    },
    async retrieve(request: RetrieveRequest): Promise<RetrievalResult> {
      const started = performance.now();
      const corpus = repo.head(request.corpusId);
      if (!corpus) throw new AppError('not_found', 'That corpus is no longer there. It may have been deleted.');
      const k = request.k ?? DEFAULT_TOP_K;
      const question = request.question.trim();
      if (!question) throw new AppError('bad_input', 'Type a question to retrieve for.');
      let ranked: { id: number; score: number }[];
      let note: string | null = null;
      if (request.mode === 'keyword') {
        ranked = await keyword(corpus, question, k);
      } else if (request.mode === 'semantic') {
        ({ ranked, note } = await semantic(corpus, question, k, request.signal));
      } else {
        const words = await keyword(corpus, question, CANDIDATES_FOR_FUSION);
        let meaning: { id: number; score: number }[] = [];
        try {
          const result = await semantic(corpus, question, CANDIDATES_FOR_FUSION, request.signal);
          meaning = result.ranked;
          note = result.note;
        } catch (error) {
          if (request.signal?.aborted) throw error;
          note = `Semantic search was not available (${error instanceof Error ? error.message : String(error)}), so these are keyword results only.`;
        }
        ranked = reciprocalRankFusion([meaning.map((r) => r.id), words.map((r) => r.id)]).slice(0, k);
      }
      if (ranked.length === 0 && !note) note = request.mode === 'keyword' ? 'No chunk contains any of the question’s words.' : null;
      return {
        corpusId: corpus.id,
        corpusName: corpus.name,
        question,
        mode: request.mode,
        k,
        terms: queryTerms(question),
        chunks: toRetrieved(new Map(), ranked),
        note,
        elapsedMs: Math.round((performance.now() - started) * 10) / 10,
      };
    },
    chunk(chunkId: number): (RetrievedChunk & { corpusId: string; corpusName: string }) | null {
      const chunk = repo.chunk(chunkId);
      const corpusId = repo.chunkCorpus(chunkId);
      const corpus = corpusId ? repo.get(corpusId) : null;
      if (!chunk || !corpus) return null;
      return { chunkId: chunk.id, rank: 0, score: 0, documentId: chunk.document_id, documentName: chunk.document_name, position: chunk.position, pageStart: chunk.page_start, pageEnd: chunk.page_end, text: chunk.text, corpusId: corpus.id, corpusName: corpus.name };
    },
    /** Marks a corpus written by someone else (a pack import) so caches reload. */
    touched: (corpusId: string) => bump(corpusId),
    shutdown(): void {
      for (const job of jobs.values()) job.controller.abort();
    },
  };
}

export type RagService = ReturnType<typeof createRagService>;
