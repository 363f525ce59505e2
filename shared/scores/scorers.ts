/** One view over metrics, judges and robustness for the score card: label, direction, how to print a value. */
import { metricInfo } from '../metrics';
import { isJudgeId, JUDGES } from './judges';
import { isScorableMetric, scorableMetricInfo } from './metrics';
import { formatRobustness, robustnessBasis, ROBUSTNESS_SCORER } from './robustness';
import { guardScorerLabel, isGuardScorer } from './guards';

export interface ScorerInfo {
  id: string;
  kind: 'metric' | 'judge';
  label: string;
  description: string;
  /** null: the figure has no better direction (e.g. length); its delta is shown neutral. */
  higherIsBetter: boolean | null;
  /** The value as the card prints it; `details` (the score's) lets a scorer say what it measured. */
  format(value: number, details?: unknown): string;
  /**
   * What the value was measured against, when that can vary between scores of the same scorer
   * (robustness: base metric, perturbation, count, seed); the card compares a value with the
   * baseline's only when both bases are equal. Absent: always comparable.
   */
  basis?(details: unknown): string | null;
}

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function scorerInfo(id: string): ScorerInfo {
  if (isJudgeId(id)) {
    const judge = JUDGES[id];
    const format =
      judge.scale === 'pass-fail'
        ? (value: number) => (value >= 1 ? 'Pass' : 'Fail')
        : judge.scale === 'rating-1-5'
          ? (value: number) => `${fixed(value)}/5`
          : judge.scale === 'fraction'
            ? (value: number) => `${Math.round(value * 100)}%`
            : judge.scale === 'preference'
              ? (value: number) => (value > 0 ? 'Preferred' : value < 0 ? 'Baseline preferred' : 'Tie')
              : fixed;
    return { id, kind: 'judge', label: judge.label, description: judge.description, higherIsBetter: judge.higherIsBetter, format };
  }
  if (isGuardScorer(id)) {
    const guard = guardScorerLabel(id);
    return { id, kind: 'metric', ...guard };
  }
  if (id === ROBUSTNESS_SCORER) {
    const info = metricInfo('robustnessDelta');
    return { id, kind: 'metric', label: 'Robustness', description: `${info.description} Lower is more robust.`, higherIsBetter: info.higherIsBetter, format: formatRobustness, basis: robustnessBasis };
  }
  if (isScorableMetric(id)) {
    const info = scorableMetricInfo(id);
    const unit = info.range[1] === 1 && info.range[0] === 0;
    const format = id === 'refusal' ? (value: number) => (value >= 1 ? 'Refused' : 'Answered') : unit ? fixed : (value: number) => String(Math.round(value * 100) / 100);
    return { id, kind: 'metric', label: info.label, description: info.description, higherIsBetter: info.higherIsBetter, format };
  }
  return { id, kind: 'metric', label: id, description: '', higherIsBetter: null, format: fixed };
}
