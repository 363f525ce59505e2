/**
 * Batches (issue 13) as they cross the IPC boundary: an experiment's arms × a dataset's rows × N
 * repeats with the chosen scores. A cell is one arm of one row in one repeat; each (row, repeat) is
 * one normal run in History whose arms are the cells.
 *
 * Numbering (documented once, used everywhere a person reads it): rows and repeats count from 1
 * ("row 3, repeat 2"); arms are named by their label and, where a number is needed, "arm 1" is
 * the baseline and mitigated arms follow as arm 2, 3, … — the column order of the comparison.
 */
import { z } from 'zod';
import { JUDGE_IDS } from './scores/judges';
import { SCORABLE_METRIC_IDS } from './scores/metrics';
import { DatasetMapping } from './datasets';
import type { Interval, NumericSummary, PassSummary } from './stats';
import type { ExperimentConfig } from './domain';
import { resolveArms } from './arms/resolve';

/** Variables the arms use (every `${name}` of system, turns and template). */
export function variablesUsed(config: ExperimentConfig): string[] {
  const names = new Set<string>();
  // every arm resolved from the baseline (issue 9), its steps' own text included
  for (const resolved of resolveArms({ variables: [], arms: config.arms })) for (const name of resolved.missing) names.add(name);
  return [...names];
}

export const BATCH_STATUSES = ['running', 'paused', 'interrupted', 'cancelled', 'completed', 'failed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const CELL_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
export const MAX_REPEATS = 50;
export const MAX_BATCH_CELLS = 200_000;

export const BatchScores = z.object({
  metrics: z.array(z.enum(SCORABLE_METRIC_IDS)).max(SCORABLE_METRIC_IDS.length).default([]),
  judges: z.array(z.enum(JUDGE_IDS)).max(JUDGE_IDS.length).default([]),
});
export type BatchScores = z.output<typeof BatchScores>;

export { DatasetMapping };

export interface BatchSummary {
  id: string;
  name: string;
  experimentId: string | null;
  datasetId: string | null;
  datasetName: string | null;
  armLabels: string[];
  rowCount: number;
  repeats: number;
  concurrency: number;
  scores: BatchScores;
  status: BatchStatus;
  counts: CellCounts;
  costUsd: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface CellCounts {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface CellScore {
  scorer: string;
  value: number | null;
  passed: boolean | null;
}

/** One cell as the matrix shows it. */
export interface BatchCell {
  row: number;
  repeat: number;
  arm: number;
  status: CellStatus;
  attempts: number;
  error: string | null;
  costUsd: number | null;
  totalMs: number | null;
  runId: string | null;
  /** The first characters of the answer (the full run opens from the cell). */
  preview: string;
  scores: CellScore[];
}

export interface BatchRow {
  row: number;
  variables: { name: string; value: string }[];
  reference: string | null;
}

export interface BatchProgress {
  batchId: string;
  status: BatchStatus;
  counts: CellCounts;
  /** Cells finished per minute over the last stretch. */
  perMinute: number | null;
  costUsd: number;
  etaMs: number | null;
  /** The concurrency in force now (lowered while Bedrock throttles). */
  concurrency: number;
  throttled: number;
}

export interface ArmScoreStats {
  scorer: string;
  label: string;
  higherIsBetter: boolean | null;
  kind: 'numeric' | 'pass';
  numeric: NumericSummary | null;
  pass: PassSummary | null;
  /** Per row (repeats folded to their mean): for the distribution chart. */
  values: number[];
}

export interface ArmEffect {
  scorer: string;
  label: string;
  kind: 'numeric' | 'pass';
  n: number;
  meanDifference: number | null;
  interval: Interval | null;
  pValue: number;
  test: 'sign' | 'mcnemar-exact' | 'mcnemar-chi-square';
  sentence: string;
  /** Per row [baseline, mitigated] (numeric scores): the scatter chart. */
  pairs: [number, number][];
}

export interface ArmStats {
  arm: number;
  label: string;
  completed: number;
  failed: number;
  costUsd: number;
  scores: ArmScoreStats[];
  /** Against the baseline (arm 0); empty for the baseline. */
  effects: ArmEffect[];
}

export interface BatchStats {
  batchId: string;
  arms: ArmStats[];
}

export interface BatchDetail extends BatchSummary {
  rows: BatchRow[];
  cells: BatchCell[];
  /** The experiment's configuration the batch ran (batch against batch: the configuration diff). */
  config: ExperimentConfig;
  /** Variables a dataset column fills (the rest keep the configuration's own value). */
  mappedVariables: string[];
}

/**
 * New answer text of one cell while it streams (batches:watch): the runner's own coalesced,
 * paced `run:delta`, forwarded with the batch and the offset it starts at, so a window that
 * starts watching mid-answer joins the text it read from the run without a gap or a repeat.
 */
export interface BatchDelta {
  batchId: string;
  runId: string;
  armIndex: number;
  /** Characters of the arm's streamed text before this delta (0: the stream starts afresh). */
  at: number;
  text: string;
}

/** The batch a run belongs to (each row × repeat is one run): History offers to open its samples together. */
export interface BatchRunOwner {
  batch: BatchSummary;
  row: number;
  repeat: number;
}
