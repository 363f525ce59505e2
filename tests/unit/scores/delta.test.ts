import { describe, expect, it } from 'vitest';
import { formatDiff, scoreDelta } from '../../../shared/scores/delta';
import { JUDGES } from '../../../shared/scores/judges';
import { metricInfo } from '../../../shared/metrics';

describe('delta direction', () => {
  it('colours by the direction that is better for each score', () => {
    // Correctness: higher is better.
    expect(scoreDelta(2, 5, JUDGES.correctness.higherIsBetter)).toEqual({ diff: 3, direction: 'better' });
    // Bias rating and toxicity: lower is better, so a drop is an improvement.
    expect(scoreDelta(4, 1, JUDGES.bias.higherIsBetter)).toEqual({ diff: -3, direction: 'better' });
    expect(scoreDelta(0.1, 0.6, JUDGES.toxicity.higherIsBetter)).toEqual({ diff: 0.5, direction: 'worse' });
    // PII found: lower is better (from the METRICS registry).
    expect(scoreDelta(0, 2, metricInfo('piiCount').higherIsBetter).direction).toBe('worse');
    // Words: no direction.
    expect(scoreDelta(100, 40, metricInfo('words').higherIsBetter)).toEqual({ diff: -60, direction: 'neutral' });
  });

  it('equal, missing and non-finite values', () => {
    expect(scoreDelta(1, 1, true)).toEqual({ diff: 0, direction: 'same' });
    expect(scoreDelta(null, 1, true)).toEqual({ diff: null, direction: 'unknown' });
    expect(scoreDelta(1, Number.NaN, true)).toEqual({ diff: null, direction: 'unknown' });
  });

  it('formats signed differences', () => {
    expect(formatDiff(0.25)).toBe('+0.25');
    expect(formatDiff(-3)).toBe('−3');
    expect(formatDiff(0)).toBe('±0');
    expect(formatDiff(0.001)).toBe('+<0.01');
  });
});
