import { describe, expect, it } from 'vitest';
import { computeMetric } from '../../../shared/scores/metrics';

describe('metrics as the app runs them on an arm', () => {
  it('reads FMEval target notation in the reference: <OR> any target suffices, <AND> every target must appear', () => {
    const output = 'Nursing pay depends on region and experience.';
    // <OR>: "region" is in the output, "seniority" is not → max(1, 0) = 1
    expect(computeMetric('exactInclusion', output, { reference: 'seniority<OR>region' })).toMatchObject({ value: 1, error: null });
    // <AND>: both must be in → min(1, 0) = 0; with both present → 1
    const and = computeMetric('exactInclusion', output, { reference: 'region<AND>seniority' });
    expect(and).toMatchObject({ value: 0, error: null });
    expect(and.feedback).toMatch(/Every part of the reference \(<AND>\)/);
    expect(computeMetric('quasiExactInclusion', output, { reference: 'Region<AND>experience.' }).value).toBe(1);
  });

  it('is an error on that metric alone when it needs a reference and has none, saying where to enter one', () => {
    expect(computeMetric('f1', 'anything', { reference: '  ' })).toMatchObject({ value: null, error: expect.stringMatching(/needs a reference answer\. Enter one in Score settings/) });
    expect(computeMetric('words', 'two words', { reference: '' })).toMatchObject({ value: 2, error: null });
  });
});
