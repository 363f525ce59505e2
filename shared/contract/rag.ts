/** Corpora, retrieval and question-set evaluation (issue 11). */
import { z } from 'zod';
import { CorpusSettings, MAX_TOP_K, RetrievalMode, DEFAULT_TOP_K, type CorpusDetail, type CorpusSummary, type ImportReport, type IndexProgress, type RetrievalResult, type RetrievedChunk } from '../rag/types';
import { QaSet, type EvalProgress, type EvalResult } from '../rag/qa';
import { MAX_STEPS, StepConfig } from '../steps/registry';
import { channel, event } from './channel';

const CorpusId = z.string().min(1).max(100);

export const CorpusInput = CorpusSettings.extend({
  name: z.string().trim().min(1, 'Give the corpus a name').max(120, 'Keep the name under 120 characters'),
  description: z.string().max(2_000).default(''),
});

/** A dropped file, its bytes as base64 (the renderer never names a path). 30 MB of bytes is 40 MB of base64. */
export const DroppedFile = z.object({
  name: z.string().min(1).max(255),
  base64: z.string().max(41_000_000),
});

export const RetrieveRequest = z.object({
  corpusId: CorpusId,
  question: z.string().trim().min(1, 'Type a question').max(10_000),
  mode: RetrievalMode.default('semantic'),
  k: z.number().int().min(1).max(MAX_TOP_K).default(DEFAULT_TOP_K),
});

const EvaluationId = z.string().min(1).max(100);

/** One arm of an evaluation: a name and its steps (the baseline has none: it answers from memory). */
export const EvalArmSpec = z.object({
  label: z.string().trim().min(1, 'Name the arm').max(120),
  steps: z.array(StepConfig).max(MAX_STEPS),
});

export const EvaluateRequest = z.object({
  /** Chosen by the renderer, so it can cancel and match progress before the call returns. */
  evaluationId: EvaluationId,
  corpusId: CorpusId,
  set: QaSet,
  arms: z.array(EvalArmSpec).min(2, 'Evaluate at least two arms: the baseline and one grounded arm.').max(6),
  /** The answering model; the default generation model (Settings) when omitted. */
  modelId: z.string().min(1).max(300).optional(),
  /** The judges' model; the default judge model (Settings) when omitted. */
  judgeModelId: z.string().min(1).max(300).optional(),
});

export type EvalProgressEvent = EvalProgress & { evaluationId: string; cancelled: boolean };

export type ChunkDetail = RetrievedChunk & { corpusId: string; corpusName: string };

export const ragChannels = {
  'rag:list': channel(z.object({})).returns<CorpusSummary[]>(),
  'rag:get': channel(z.object({ corpusId: CorpusId })).returns<CorpusDetail>(),
  'rag:create': channel(CorpusInput).returns<CorpusSummary>(),
  /** Changing the model or the chunking marks the corpus for re-indexing; nothing is lost until it runs. */
  'rag:update': channel(CorpusInput.extend({ corpusId: CorpusId })).returns<CorpusSummary>(),
  'rag:delete': channel(z.object({ corpusId: CorpusId })).returns<{ deleted: boolean }>(),
  /** Opens the file dialog (several .txt/.md/.pdf); cancelled = nothing added, no problem. */
  'rag:add-files': channel(z.object({ corpusId: CorpusId })).returns<ImportReport & { cancelled: boolean }>(),
  'rag:add-dropped': channel(z.object({ corpusId: CorpusId, files: z.array(DroppedFile).min(1).max(50) })).returns<ImportReport>(),
  'rag:remove-document': channel(z.object({ corpusId: CorpusId, documentId: z.string().min(1).max(100) })).returns<CorpusDetail>(),
  /** Starts indexing (re-chunk what is stale, embed what is missing); progress comes as rag:progress. */
  'rag:index': channel(z.object({ corpusId: CorpusId })).returns<{ started: boolean }>(),
  'rag:cancel-index': channel(z.object({ corpusId: CorpusId })).returns<{ cancelled: boolean }>(),
  'rag:retrieve': channel(RetrieveRequest).returns<RetrievalResult>(),
  'rag:chunk': channel(z.object({ chunkId: z.number().int().min(1) })).returns<ChunkDetail>(),
  /** Saves the corpus with its vectors as a .parallax-corpus file (save dialog), for trainees to retrieve offline. */
  'rag:export': channel(z.object({ corpusId: CorpusId })).returns<{ path: string | null; bytes: number }>(),
  /** Opens a .parallax-corpus file (open dialog) and adds it as a new corpus; nothing is written when it is not valid. */
  'rag:import': channel(z.object({})).returns<{ corpus: CorpusSummary | null }>(),
  /** Adds the shipped AnyCompany Bank handbook as a corpus (or returns it when it is there). */
  'rag:add-sample': channel(z.object({})).returns<CorpusSummary>(),
  /** Runs every question of the set through every arm, then the judges; progress comes as rag:eval-progress. */
  'rag:evaluate': channel(EvaluateRequest).returns<EvalResult>(),
  'rag:cancel-evaluation': channel(z.object({ evaluationId: EvaluationId })).returns<{ cancelled: boolean }>(),
  /** Saves a finished evaluation (kept in memory until the app quits) as CSV or as the HTML report (save dialog). */
  'rag:export-evaluation': channel(z.object({ evaluationId: EvaluationId, format: z.enum(['csv', 'html']) })).returns<{ path: string | null }>(),
};

export const ragEvents = {
  'rag:progress': event<IndexProgress>(),
  /** A corpus changed (documents, index, settings): lists refetch. */
  'rag:changed': event<{ corpusId: string }>(),
  'rag:eval-progress': event<EvalProgressEvent>(),
};
