/**
 * Statistics for batches against values computed by hand or by a reference implementation
 * (scipy.stats 1.x: binomtest, chi2.sf; Newcombe 1998's worked Wilson intervals) on fixed data.
 */
import { describe, expect, it } from 'vitest';
import {
  binomialTwoSided,
  bootstrapInterval,
  chiSquare1Upper,
  effectSentence,
  mcnemarTest,
  mean,
  median,
  normalQuantile,
  numericEffect,
  passEffect,
  signTest,
  stdev,
  summarize,
  summarizePasses,
  wilsonInterval,
} from '../../../shared/stats';

const data = [3, 1, 4, 1, 5, 9, 2, 6];

describe('descriptive figures', () => {
  it('mean, median and sample standard deviation of fixed data (numpy: 3.875, 3.5, 2.7484)', () => {
    expect(mean(data)).toBe(3.875);
    expect(median(data)).toBe(3.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(stdev(data)).toBeCloseTo(2.748376, 5);
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
  });
});

describe('bootstrap interval', () => {
  it('matches the exact bootstrap distribution of a tiny sample', () => {
    // resampling [1, 2] twice: means 1 (1/4), 1.5 (1/2), 2 (1/4); the 2.5 % and 97.5 % points are 1 and 2
    expect(bootstrapInterval([1, 2])).toEqual({ low: 1, high: 2 });
    // a constant sample has a zero-width interval
    expect(bootstrapInterval([4, 4, 4])).toEqual({ low: 4, high: 4 });
    expect(bootstrapInterval([])).toBeNull();
  });

  it('is reproducible with its seed and changes with another seed', () => {
    const a = bootstrapInterval(data, { seed: 7 });
    expect(bootstrapInterval(data, { seed: 7 })).toEqual(a);
    expect(bootstrapInterval(data, { seed: 8 })).not.toEqual(a);
  });

  it('brackets the mean and agrees with the normal interval on a large sample', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i * 37) % 101); // spread 0..100
    const m = mean(values)!;
    const se = stdev(values)! / Math.sqrt(values.length);
    const interval = bootstrapInterval(values, { resamples: 4_000 })!;
    expect(interval.low).toBeLessThan(m);
    expect(interval.high).toBeGreaterThan(m);
    expect(interval.low).toBeCloseTo(m - 1.96 * se, 0);
    expect(interval.high).toBeCloseTo(m + 1.96 * se, 0);
  });
});

describe('Wilson interval', () => {
  it('matches Newcombe (1998) worked examples', () => {
    const a = wilsonInterval(81, 263)!;
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(15, 148)!;
    expect(b.low).toBeCloseTo(0.0624, 4);
    expect(b.high).toBeCloseTo(0.1605, 4);
  });

  it('stays inside [0, 1] at the edges and is null without data', () => {
    const none = wilsonInterval(0, 10)!;
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.27753, 4);
    const eight = wilsonInterval(8, 10)!;
    expect(eight.low).toBeCloseTo(0.49016, 4);
    expect(eight.high).toBeCloseTo(0.94332, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(summarizePasses([true, true, false, true])).toMatchObject({ n: 4, passes: 3, rate: 0.75 });
  });

  it('uses the normal quantile 1.959964 for 95 %', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 8);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});

describe('sign and McNemar tests', () => {
  it('the exact binomial matches scipy.stats.binomtest', () => {
    expect(binomialTwoSided(1, 10)).toBeCloseTo(0.021484375, 10); // 2 × 11/1024, by hand
    expect(binomialTwoSided(3, 20)).toBeCloseTo(0.0025768280029296875, 10);
    expect(binomialTwoSided(9, 50)).toBeCloseTo(5.614100093254137e-6, 12);
    expect(binomialTwoSided(5, 10)).toBe(1);
    expect(binomialTwoSided(0, 0)).toBe(1);
  });

  it('the sign test leaves ties out', () => {
    const differences = [...Array(41).fill(-1), ...Array(9).fill(0.5), 0, 0];
    const test = signTest(differences);
    expect(test).toMatchObject({ higher: 9, lower: 41, ties: 2 });
    expect(test.pValue).toBeCloseTo(5.614100093254137e-6, 12);
  });

  it("McNemar's test: exact for few discordant pairs, continuity-corrected chi-square for many", () => {
    const pairs = (gained: number, lost: number, same: number) => [
      ...Array.from({ length: gained }, () => [false, true] as const),
      ...Array.from({ length: lost }, () => [true, false] as const),
      ...Array.from({ length: same }, () => [true, true] as const),
    ];
    const exact = mcnemarTest(pairs(9, 1, 20));
    expect(exact).toMatchObject({ gained: 9, lost: 1, bothPassed: 20, method: 'exact' });
    expect(exact.pValue).toBeCloseTo(0.021484375, 10);
    const chi = mcnemarTest(pairs(25, 10, 5));
    expect(chi.method).toBe('chi-square');
    expect(chi.statistic).toBeCloseTo(5.6, 10); // (|25 − 10| − 1)² / 35, by hand
    expect(chi.pValue).toBeCloseTo(0.01796047752607879, 6); // scipy.stats.chi2.sf(5.6, 1)
    expect(chiSquare1Upper(3.841459)).toBeCloseTo(0.05, 5);
  });
});

describe('paired effect and its sentence', () => {
  it('says what a mitigation did to a lower-is-better score, with its interval', () => {
    const pairs = Array.from({ length: 50 }, (_, i) => ({ baseline: 4, mitigated: i < 41 ? 2 : 4.2 }));
    const effect = numericEffect(pairs, false);
    expect(effect).toMatchObject({ n: 50, better: 41, worse: 9, ties: 0 });
    expect(effect.meanDifference).toBeCloseTo((41 * -2 + 9 * 0.2) / 50, 10);
    expect(effect.interval!.high).toBeLessThan(0);
    const sentence = effectSentence(effect, { armLabel: 'Bias guard', scoreLabel: 'Bias and stereotypes', higherIsBetter: false, noun: 'questions' });
    expect(sentence).toMatch(/^Bias guard lowered the Bias and stereotypes score on 41 of 50 questions; mean −1\.6, 95 % interval −\d\.\d+ to −\d\.\d+ \(sign test p < 0\.001\): an improvement \(lower is better\)\.$/);
  });

  it('calls an interval that spans zero no change, and a rise of a lower-is-better score a worsening', () => {
    const flat = numericEffect([{ baseline: 1, mitigated: 2 }, { baseline: 2, mitigated: 1 }, { baseline: 1, mitigated: 1.5 }], false);
    expect(effectSentence(flat, { armLabel: 'A', scoreLabel: 'Toxicity', higherIsBetter: false })).toContain('not distinguishable from no change');
    const worse = numericEffect(Array.from({ length: 20 }, () => ({ baseline: 0.1, mitigated: 0.6 })), false);
    expect(effectSentence(worse, { armLabel: 'A', scoreLabel: 'Toxicity', higherIsBetter: false })).toContain('raised the Toxicity score on 20 of 20 rows');
    expect(effectSentence(worse, { armLabel: 'A', scoreLabel: 'Toxicity', higherIsBetter: false })).toContain('a worsening');
  });

  it('pass/fail effects report both rates and McNemar', () => {
    const effect = passEffect([...Array(9).fill([false, true]), [true, false], ...Array(10).fill([true, true])]);
    expect(effect.baselineRate).toBeCloseTo(11 / 20, 10);
    expect(effect.mitigatedRate).toBeCloseTo(19 / 20, 10);
    const sentence = effectSentence(effect, { armLabel: 'Guarded', scoreLabel: 'Relevancy', higherIsBetter: true });
    expect(sentence).toBe('Guarded passed Relevancy on 95 % of 20 rows, the baseline on 55 %; it passed where the baseline failed on 9 and failed where the baseline passed on 1 (McNemar p = 0.021): an improvement.');
  });

  it('summarize gives n, mean, median and a bootstrap interval', () => {
    const s = summarize(data);
    expect(s).toMatchObject({ n: 8, mean: 3.875, median: 3.5, min: 1, max: 9 });
    expect(s.interval!.low).toBeLessThan(3.875);
    expect(s.interval!.high).toBeGreaterThan(3.875);
  });
});
