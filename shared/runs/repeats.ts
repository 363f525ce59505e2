/**
 * Repeats of a single comparison (issue 13): "run each arm N times" is a batch with no dataset
 * and N repeats (one mechanism: the batch scheduler); each repeat is one normal run in History,
 * a "sample". This module derives what each arm's column says about its samples: how the scores
 * spread (mean, lowest, highest) in one plain sentence, so one sample reads as the anecdote it is.
 */
import type { BatchCell } from '../batch';
import { isJudgeId, JUDGES } from '../scores/judges';
import { scorerInfo } from '../scores/scorers';
import { mean } from '../stats';

export const MAX_COMPARE_REPEATS = 10;

export interface SampleSpread {
  scorer: string;
  label: string;
  kind: 'numeric' | 'pass' | 'refusal';
  /** Samples with a value for this score. */
  n: number;
  /** Samples of the arm in all (finished or not). */
  samples: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Pass / refusal scores: how many samples passed (or refused). */
  hits: number;
  sentence: string;
}

function kindOf(scorer: string): SampleSpread['kind'] {
  if (scorer === 'refusal') return 'refusal';
  if (isJudgeId(scorer) && JUDGES[scorer].scale === 'pass-fail') return 'pass';
  return 'numeric';
}

/** One decimal for small figures (a 1–5 rating), none for counts in the hundreds. */
function figure(value: number): string {
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return value.toFixed(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "5 samples: Bias and stereotypes 2–4 (mean 3.1)"; "5 samples: Toxicity 0.1–0.4 (mean 0.2)"; "5 samples: refused in 2 of 5". */
export function spreadSentence(s: Pick<SampleSpread, 'label' | 'kind' | 'n' | 'mean' | 'min' | 'max' | 'hits'>): string {
  const head = `${plural(s.n, 'sample')}:`;
  if (s.n === 0) return `No sample has a ${s.label} score yet.`;
  if (s.kind === 'refusal') return `${head} refused in ${s.hits} of ${s.n}`;
  if (s.kind === 'pass') return `${head} ${s.label} passed in ${s.hits} of ${s.n}`;
  // whole numbers (counts, most ratings) print as they are; the mean keeps one decimal
  const whole = Number.isInteger(s.min) && Number.isInteger(s.max);
  const bound = (v: number) => (whole ? String(v) : figure(v));
  if (s.min === s.max) return `${head} ${s.label} ${bound(s.min!)} every time`;
  return `${head} ${s.label} ${bound(s.min!)}–${bound(s.max!)} (mean ${figure(s.mean!)})`;
}

/** The spread of every score of one arm over its samples (completed cells only), by score label. */
export function armSpreads(cells: readonly BatchCell[], arm: number): SampleSpread[] {
  const own = cells.filter((c) => c.arm === arm);
  const values = new Map<string, { values: number[]; hits: number }>();
  for (const cell of own) {
    if (cell.status !== 'completed') continue;
    for (const score of cell.scores) {
      if (score.value === null || score.scorer === 'pairwise') continue;
      const entry = values.get(score.scorer) ?? { values: [], hits: 0 };
      entry.values.push(score.value);
      const kind = kindOf(score.scorer);
      if (kind === 'refusal' ? score.value >= 1 : kind === 'pass' ? (score.passed ?? score.value >= 1) : false) entry.hits += 1;
      values.set(score.scorer, entry);
    }
  }
  return [...values]
    .map(([scorer, entry]): SampleSpread => {
      const label = scorerInfo(scorer).label;
      const kind = kindOf(scorer);
      const spread = {
        scorer,
        label,
        kind,
        n: entry.values.length,
        samples: own.length,
        mean: mean(entry.values),
        min: Math.min(...entry.values),
        max: Math.max(...entry.values),
        hits: entry.hits,
      };
      return { ...spread, sentence: spreadSentence(spread) };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** The repeat numbers (0-based) a batch's cells hold, in order: the sample switcher's buttons. */
export function samplesOf(cells: readonly BatchCell[]): { repeat: number; runId: string | null; settled: boolean }[] {
  const byRepeat = new Map<number, { runId: string | null; settled: boolean }>();
  for (const cell of cells) {
    const seen = byRepeat.get(cell.repeat) ?? { runId: null, settled: true };
    byRepeat.set(cell.repeat, {
      runId: seen.runId ?? cell.runId,
      settled: seen.settled && (cell.status === 'completed' || cell.status === 'failed' || cell.status === 'cancelled'),
    });
  }
  return [...byRepeat].sort((a, b) => a[0] - b[0]).map(([repeat, s]) => ({ repeat, ...s }));
}
