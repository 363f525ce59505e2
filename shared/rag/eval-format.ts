/**
 * How the evaluation's numbers read (issue 11): each metric's scale in words, a cell per
 * question, an average per arm and a delta against the baseline, in the unit the metric has.
 * Used by the evaluation screen; all higher-is-better.
 */
import { EVAL_METRIC_NAMES, type EvalMetric } from './qa';

type Unit = 'pass' | 'rating' | 'share' | 'found' | 'rank';

export interface EvalMetricInfo {
  name: string;
  /** One sentence a person can read next to the column. */
  scale: string;
  unit: Unit;
}

export const EVAL_METRIC_INFO: Record<EvalMetric, EvalMetricInfo> = {
  faithfulness: { name: EVAL_METRIC_NAMES.faithfulness, unit: 'pass', scale: 'Pass when every claim is backed by the retrieved sources; needs retrieval, so the baseline has none.' },
  relevancy: { name: EVAL_METRIC_NAMES.relevancy, unit: 'pass', scale: 'Pass when the answer addresses the question asked.' },
  correctness: { name: EVAL_METRIC_NAMES.correctness, unit: 'rating', scale: 'Agreement with the reference answer, from 1 (wrong) to 5 (fully correct).' },
  guidelines: { name: EVAL_METRIC_NAMES.guidelines, unit: 'share', scale: 'Share of the guidelines the answer follows.' },
  hitRate: { name: EVAL_METRIC_NAMES.hitRate, unit: 'found', scale: 'Whether a passage from the expected file was retrieved (questions with a known source only).' },
  mrr: { name: 'MRR', unit: 'rank', scale: 'Mean reciprocal rank: 1 when the expected file’s passage came first, ½ when second, 0 when not retrieved.' },
};

const NONE = '—';
const percent = (value: number) => `${Math.round(value * 100)}%`;

/** One question's score for one arm. */
export function formatEvalCell(metric: EvalMetric, value: number | null): string {
  if (value === null) return NONE;
  switch (EVAL_METRIC_INFO[metric].unit) {
    case 'pass':
      return value >= 0.5 ? 'Pass' : 'Fail';
    case 'found':
      return value >= 0.5 ? 'Found' : 'Missed';
    case 'rating':
      return `${Math.round(value * 10) / 10} / 5`;
    case 'share':
      return percent(value);
    case 'rank':
      return value > 0 ? `${value.toFixed(2)} (rank ${Math.round(1 / value)})` : '0 (not found)';
  }
}

/** An arm's average over the questions that have the score. */
export function formatEvalAverage(metric: EvalMetric, value: number | null): string {
  if (value === null) return NONE;
  switch (EVAL_METRIC_INFO[metric].unit) {
    case 'pass':
      return `${percent(value)} pass`;
    case 'found':
      return `${percent(value)} found`;
    case 'rating':
      return `${value.toFixed(1)} / 5`;
    case 'share':
      return percent(value);
    case 'rank':
      return value.toFixed(2);
  }
}

/** Average minus the baseline's, in the metric's unit: percentage points for shares, plain for the rest. */
export function formatEvalDelta(metric: EvalMetric, delta: number | null): string {
  if (delta === null) return '';
  const unit = EVAL_METRIC_INFO[metric].unit;
  const points = unit === 'pass' || unit === 'found' || unit === 'share';
  const scale = points ? 100 : unit === 'rank' ? 100 : 10;
  // Rounded by magnitude, so −1.25 reads −1.3 like +1.25 reads +1.3.
  const magnitude = Math.round(Math.abs(delta) * scale) / (points ? 1 : scale);
  if (magnitude === 0) return points ? '±0 pts' : '±0';
  const sign = delta > 0 ? '+' : '−';
  return points ? `${sign}${magnitude} pts` : `${sign}${magnitude.toFixed(unit === 'rank' ? 2 : 1)}`;
}

/** better / worse / same, for the delta's colour (every metric is higher-is-better). */
export function deltaDirection(delta: number | null): 'better' | 'worse' | 'same' | null {
  if (delta === null) return null;
  if (Math.abs(delta) < 1e-9) return 'same';
  return delta > 0 ? 'better' : 'worse';
}
