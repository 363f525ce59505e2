/** Corpora, retrieval and question sets (issue 11): what crosses the IPC boundary. */
import { z } from 'zod';
import { DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_TOKENS, MAX_CHUNK_TOKENS, MIN_CHUNK_TOKENS } from './chunk';

export const EMBEDDING_MODEL_IDS = ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1'] as const;
export const EmbeddingModelId = z.enum(EMBEDDING_MODEL_IDS);
export type EmbeddingModelId = z.infer<typeof EmbeddingModelId>;
export const DEFAULT_EMBEDDING_MODEL: EmbeddingModelId = 'amazon.titan-embed-text-v2:0';

/** What a person reads for each model, and the dimensions it can produce (the first is the default). */
export const EMBEDDING_MODELS: Record<EmbeddingModelId, { name: string; dimensions: readonly number[] }> = {
  'amazon.titan-embed-text-v2:0': { name: 'Titan Text Embeddings v2', dimensions: [1024, 512, 256] },
  'amazon.titan-embed-text-v1': { name: 'Titan Text Embeddings (v1)', dimensions: [1536] },
};

export function dimensionsProblem(modelId: EmbeddingModelId, dimensions: number): string | null {
  const allowed = EMBEDDING_MODELS[modelId].dimensions;
  return allowed.includes(dimensions) ? null : `${EMBEDDING_MODELS[modelId].name} makes vectors of ${allowed.join(', ')} dimensions.`;
}

export const RETRIEVAL_MODES = ['semantic', 'keyword', 'hybrid'] as const;
export const RetrievalMode = z.enum(RETRIEVAL_MODES);
export type RetrievalMode = z.infer<typeof RetrievalMode>;
export const RETRIEVAL_MODE_NAMES: Record<RetrievalMode, string> = {
  semantic: 'Semantic (cosine over embeddings)',
  keyword: 'Keyword (BM25, works offline)',
  hybrid: 'Hybrid (both, reciprocal rank fusion)',
};
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 50;

export const CorpusSettings = z.object({
  embeddingModel: EmbeddingModelId.default(DEFAULT_EMBEDDING_MODEL),
  dimensions: z.number().int().default(1024),
  chunkTokens: z.number().int().min(MIN_CHUNK_TOKENS).max(MAX_CHUNK_TOKENS).default(DEFAULT_CHUNK_TOKENS),
  chunkOverlap: z.number().int().min(0).max(MAX_CHUNK_TOKENS - 1).default(DEFAULT_CHUNK_OVERLAP),
});
export type CorpusSettings = z.infer<typeof CorpusSettings>;

export const DOCUMENT_KINDS = ['txt', 'md', 'pdf'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface CorpusSummary extends CorpusSettings {
  id: string;
  name: string;
  description: string;
  documentCount: number;
  chunkCount: number;
  /** Chunks with a vector from the corpus's current model and dimensions. */
  embeddedCount: number;
  /** Documents chunked with other settings than the corpus's (re-index re-chunks them). */
  staleDocuments: number;
  createdAt: number;
  updatedAt: number;
}

export interface CorpusDocument {
  id: string;
  name: string;
  kind: DocumentKind;
  bytes: number;
  /** Pages with text (PDF); null for .txt and .md. */
  pages: number | null;
  chunkCount: number;
  embeddedCount: number;
  chunkTokens: number;
  chunkOverlap: number;
  addedAt: number;
}

export interface CorpusDetail {
  corpus: CorpusSummary;
  documents: CorpusDocument[];
}

/** One file of an import that could not be added, and what to do about it. */
export interface ImportProblem {
  name: string;
  message: string;
}

export interface ImportReport {
  added: CorpusDocument[];
  problems: ImportProblem[];
}

export interface IndexProgress {
  corpusId: string;
  corpusName: string;
  /** Chunks embedded so far in this job, and chunks the job set out to embed. */
  done: number;
  total: number;
  /** Chunks per second over the job so far; null before the first batch. */
  ratePerSecond: number | null;
  etaSeconds: number | null;
  finished: boolean;
  cancelled: boolean;
  error: string | null;
}

export interface RetrievedChunk {
  chunkId: number;
  rank: number;
  /** Cosine similarity (semantic), BM25 score (keyword) or fused RRF score (hybrid). */
  score: number;
  documentId: string;
  documentName: string;
  position: number;
  pageStart: number | null;
  pageEnd: number | null;
  text: string;
}

export interface RetrievalResult {
  corpusId: string;
  corpusName: string;
  question: string;
  mode: RetrievalMode;
  k: number;
  /** The question's search terms (highlighted in the viewer). */
  terms: string[];
  chunks: RetrievedChunk[];
  /** Something a person should know, e.g. "only 40 of 52 chunks are embedded". */
  note: string | null;
  elapsedMs: number;
}
