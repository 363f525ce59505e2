/** Datasets and batches (issue 13): import, map, check, run many rows × arms × repeats, resume, results. */
import { z } from 'zod';
import { DATASET_FORMATS, DatasetMapping, MAX_DATASET_CHARS, type DatasetInspection, type DatasetSummary, type RowIssue } from '../datasets';
import { BatchScores, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_REPEATS, type BatchDelta, type BatchDetail, type BatchProgress, type BatchRunOwner, type BatchStats, type BatchSummary } from '../batch';
import { ExperimentConfig, MIN_ARMS } from '../domain';
import { channel, event } from './channel';

const Id = z.string().min(1).max(200);
const FileText = z.object({
  name: z.string().trim().min(1).max(300),
  format: z.enum(DATASET_FORMATS),
  text: z.string().max(MAX_DATASET_CHARS, 'This file is larger than 50 MB of text; split it.'),
});

export const BatchStartRequest = z.object({
  name: z.string().trim().min(1).max(200).default('Untitled batch'),
  experimentId: z.string().min(1).nullable().default(null),
  config: ExperimentConfig.refine((c) => c.arms.length >= MIN_ARMS, { message: 'A batch compares the baseline with at least one mitigated arm', path: ['arms'] }),
  /** null: the experiment's own variables, one row (repeats of a single comparison). */
  datasetId: Id.nullable().default(null),
  mapping: DatasetMapping.prefault({}),
  repeats: z.number().int().min(1).max(MAX_REPEATS).default(1),
  concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
  scores: BatchScores.prefault({}),
});

export interface BatchCheck {
  issues: RowIssue[];
  total: number;
  cells: number;
}

export const batchChannels = {
  /** Parses a file's text (nothing saved): columns, row count and the first rows; a malformed file is refused with row and column. */
  'datasets:inspect': channel(FileText).returns<DatasetInspection>(),
  'datasets:save': channel(FileText.extend({ mapping: DatasetMapping.prefault({}) })).returns<DatasetSummary>(),
  'datasets:list': channel(z.object({})).returns<DatasetSummary[]>(),
  'datasets:rows': channel(z.object({ id: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(20) })).returns<{ columns: string[]; rows: string[][]; total: number }>(),
  'datasets:set-mapping': channel(z.object({ id: Id, mapping: DatasetMapping })).returns<DatasetSummary>(),
  'datasets:delete': channel(z.object({ id: Id })).returns<{ deleted: boolean }>(),
  /** What is wrong before running: variables without a column, empty values, by row and column. */
  'batches:check': channel(BatchStartRequest).returns<BatchCheck>(),
  'batches:start': channel(BatchStartRequest).returns<BatchSummary>(),
  'batches:list': channel(z.object({})).returns<BatchSummary[]>(),
  /** Batches a closed or killed app left unfinished: the app offers to resume them at start. */
  'batches:resumable': channel(z.object({})).returns<BatchSummary[]>(),
  'batches:get': channel(z.object({ id: Id })).returns<BatchDetail>(),
  'batches:stats': channel(z.object({ id: Id })).returns<BatchStats>(),
  /** The batch a run belongs to, with its row and repeat; owner null for a run of its own. */
  'batches:for-run': channel(z.object({ runId: Id })).returns<{ owner: BatchRunOwner | null }>(),
  /**
   * A window showing a batch's samples as they stream (Compare's repeats) asks for `batch:delta`
   * events while it shows them, and stops when it closes; batches nobody watches send none.
   */
  'batches:watch': channel(z.object({ id: Id, watching: z.boolean() })).returns<{ watching: boolean }>(),
  'batches:pause': channel(z.object({ id: Id })).returns<BatchSummary>(),
  'batches:resume': channel(z.object({ id: Id })).returns<BatchSummary>(),
  'batches:cancel': channel(z.object({ id: Id })).returns<BatchSummary>(),
  /** Runs again only the cells that failed. */
  'batches:retry-failed': channel(z.object({ id: Id })).returns<BatchSummary>(),
  'batches:delete': channel(z.object({ id: Id })).returns<{ deleted: boolean }>(),
  /** Saves the batch's HTML report (statistics, charts as static SVG, answers' Markdown rendered safely). */
  'batches:export-report': channel(z.object({ id: Id })).returns<{ status: 'done'; path: string } | { status: 'cancelled' }>(),
};

export const batchEvents = {
  'batch:progress': event<BatchProgress>(),
  /** Cells settled since the last event (coalesced); the matrix patches them in. */
  'batch:cells': event<{ batchId: string; cells: BatchDetail['cells'] }>(),
  /** Streaming text of a watched batch's cells (batches:watch). */
  'batch:delta': event<BatchDelta>(),
};
