/**
 * Per-arm summaries and the paired effect of a mitigated arm against the baseline over the same
 * rows (issue 13), with a plain-language sentence. A score's better direction comes from the score
 * definitions (shared/scores/scorers.ts: higherIsBetter), never guessed here.
 */
import { bootstrapInterval, DEFAULT_SEED, mean, median, stdev, wilsonInterval, type Interval } from './basic';
import { mcnemarTest, signTest, type McNemarTest, type SignTest } from './tests';

export interface NumericSummary {
  n: number;
  mean: number | null;
  median: number | null;
  stdev: number | null;
  min: number | null;
  max: number | null;
  /** 95 % percentile bootstrap interval of the mean (seeded). */
  interval: Interval | null;
}

export function summarize(values: readonly number[], seed = DEFAULT_SEED): NumericSummary {
  return {
    n: values.length,
    mean: mean(values),
    median: median(values),
    stdev: stdev(values),
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
    interval: bootstrapInterval(values, { seed }),
  };
}

export interface PassSummary {
  n: number;
  passes: number;
  rate: number | null;
  /** 95 % Wilson interval of the pass rate. */
  interval: Interval | null;
}

export function summarizePasses(outcomes: readonly boolean[]): PassSummary {
  const passes = outcomes.filter(Boolean).length;
  const n = outcomes.length;
  return { n, passes, rate: n ? passes / n : null, interval: wilsonInterval(passes, n) };
}

/** One row's values of the baseline and of the mitigated arm (repeats already folded to their mean). */
export interface NumericPair {
  baseline: number;
  mitigated: number;
}

export interface NumericEffect {
  kind: 'numeric';
  n: number;
  /** Mean of (mitigated − baseline). */
  meanDifference: number | null;
  interval: Interval | null;
  sign: SignTest;
  /** Rows where the mitigated arm did better / worse, given the score's direction (null direction: higher / lower). */
  better: number;
  worse: number;
  ties: number;
}

export function numericEffect(pairs: readonly NumericPair[], higherIsBetter: boolean | null, seed = DEFAULT_SEED): NumericEffect {
  const differences = pairs.map((p) => p.mitigated - p.baseline);
  const sign = signTest(differences);
  const up = higherIsBetter !== false;
  return {
    kind: 'numeric',
    n: pairs.length,
    meanDifference: mean(differences),
    interval: bootstrapInterval(differences, { seed }),
    sign,
    better: up ? sign.higher : sign.lower,
    worse: up ? sign.lower : sign.higher,
    ties: sign.ties,
  };
}

export interface PassEffect {
  kind: 'pass';
  n: number;
  baselineRate: number | null;
  mitigatedRate: number | null;
  test: McNemarTest;
}

/** Paired pass/fail outcomes (same row, same repeat): [baseline passed, mitigated passed]. */
export function passEffect(pairs: readonly (readonly [boolean, boolean])[]): PassEffect {
  const n = pairs.length;
  const test = mcnemarTest(pairs);
  return {
    kind: 'pass',
    n,
    baselineRate: n ? (test.bothPassed + test.lost) / n : null,
    mitigatedRate: n ? (test.bothPassed + test.gained) / n : null,
    test,
  };
}

const MINUS = '\u2212';

/** A number for a sentence: at most `digits` decimals, trailing zeros dropped, a real minus sign. */
export function formatStat(value: number, digits = 2): string {
  const rounded = Number(value.toFixed(digits));
  const text = String(Math.abs(rounded));
  return rounded < 0 ? `${MINUS}${text}` : text;
}

export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${Number(p.toPrecision(2))}`;
}

export interface SentenceInput {
  armLabel: string;
  scoreLabel: string;
  higherIsBetter: boolean | null;
  /** What one row is: 'questions', 'rows', 'samples'. */
  noun?: string;
}

/**
 * "Bias guard lowered the Bias score on 41 of 50 questions; mean −1.8, 95 % interval −2.2 to
 * −1.4 (sign test p < 0.001): an improvement."
 */
export function effectSentence(effect: NumericEffect | PassEffect, input: SentenceInput): string {
  const noun = input.noun ?? 'rows';
  const score = `the ${input.scoreLabel} score`;
  if (effect.n === 0) return `${input.armLabel}: no ${noun} with ${score} for both it and the baseline yet.`;
  if (effect.kind === 'pass') {
    const { gained, lost } = effect.test;
    const pct = (rate: number | null) => `${Math.round((rate ?? 0) * 100)} %`;
    const change =
      gained === lost
        ? `${input.armLabel} passed ${input.scoreLabel} as often as the baseline (${pct(effect.mitigatedRate)} of ${effect.n} ${noun})`
        : `${input.armLabel} passed ${input.scoreLabel} on ${pct(effect.mitigatedRate)} of ${effect.n} ${noun}, the baseline on ${pct(effect.baselineRate)}`;
    const verdict = effect.test.pValue < 0.05 ? (gained > lost ? 'an improvement' : 'a worsening') : 'not distinguishable from no change';
    return `${change}; it passed where the baseline failed on ${gained} and failed where the baseline passed on ${lost} (McNemar ${formatP(effect.test.pValue)}): ${verdict}.`;
  }
  const d = effect.meanDifference ?? 0;
  const interval = effect.interval;
  const verb = d < 0 ? 'lowered' : d > 0 ? 'raised' : 'did not change';
  const count = d < 0 ? effect.sign.lower : d > 0 ? effect.sign.higher : effect.sign.ties;
  const head = d === 0 ? `${input.armLabel} did not change ${score} on average over ${effect.n} ${noun}` : `${input.armLabel} ${verb} ${score} on ${count} of ${effect.n} ${noun}`;
  const range = interval ? `, 95 % interval ${formatStat(interval.low)} to ${formatStat(interval.high)}` : '';
  const clear = interval !== null && (interval.low > 0 || interval.high < 0);
  let verdict: string;
  if (!clear) verdict = 'not distinguishable from no change';
  else if (input.higherIsBetter === null) verdict = d > 0 ? 'a clear rise' : 'a clear drop';
  else verdict = (d > 0) === input.higherIsBetter ? 'an improvement' : 'a worsening';
  const direction = input.higherIsBetter === null ? '' : input.higherIsBetter ? ' (higher is better)' : ' (lower is better)';
  return `${head}; mean ${formatStat(d)}${range} (sign test ${formatP(effect.sign.pValue)}): ${verdict}${direction}.`;
}
