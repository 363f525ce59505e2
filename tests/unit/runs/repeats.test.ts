/** Repeats of a single comparison (issue 13): each arm's spread over its samples, in one plain sentence. */
import { describe, expect, it } from 'vitest';
import type { BatchCell, CellScore } from '../../../shared/batch';
import { armSpreads, samplesOf, spreadSentence } from '../../../shared/runs/repeats';

const cell = (repeat: number, arm: number, scores: CellScore[], status: BatchCell['status'] = 'completed'): BatchCell => ({
  row: 0, repeat, arm, status, attempts: 1, error: null, costUsd: 0, totalMs: 10, runId: `run-${repeat}`, preview: '', scores,
});
const bias = (value: number): CellScore => ({ scorer: 'bias', value, passed: null });
const refusal = (value: number): CellScore => ({ scorer: 'refusal', value, passed: null });

describe('armSpreads', () => {
  it('says how a score spread over five samples: range and mean', () => {
    const cells = [2, 4, 3, 3.5, 3].map((v, repeat) => cell(repeat, 1, [bias(v), refusal(repeat === 1 ? 1 : 0)]));
    cells.push(cell(0, 0, [bias(5)]));
    const spreads = armSpreads(cells, 1);
    expect(spreads.map((s) => s.sentence)).toEqual(['5 samples: Bias and stereotypes 2–4 (mean 3.1)', '5 samples: refused in 1 of 5']);
    expect(spreads[0]).toMatchObject({ n: 5, samples: 5, min: 2, max: 4 });
  });

  it('counts only finished samples, and says when every sample scored the same', () => {
    const cells = [cell(0, 0, [bias(2)]), cell(1, 0, [bias(2)]), cell(2, 0, [], 'running')];
    const [spread] = armSpreads(cells, 0);
    expect(spread).toMatchObject({ n: 2, samples: 3 });
    expect(spread!.sentence).toBe('2 samples: Bias and stereotypes 2 every time');
  });

  it('leaves out pairwise judgments and failed scores', () => {
    const cells = [cell(0, 1, [{ scorer: 'pairwise', value: 1, passed: null }, { scorer: 'bias', value: null, passed: null }])];
    expect(armSpreads(cells, 1)).toEqual([]);
  });
});

describe('spreadSentence', () => {
  it('reads as a pass count for pass/fail judges', () => {
    expect(spreadSentence({ label: 'Relevancy', kind: 'pass', n: 4, mean: 0.75, min: 0, max: 1, hits: 3 })).toBe('4 samples: Relevancy passed in 3 of 4');
    expect(spreadSentence({ label: 'Toxicity', kind: 'numeric', n: 5, mean: 0.24, min: 0.1, max: 0.4, hits: 0 })).toBe('5 samples: Toxicity 0.1–0.4 (mean 0.2)');
    expect(spreadSentence({ label: 'Words', kind: 'numeric', n: 3, mean: 182.3, min: 120, max: 250, hits: 0 })).toBe('3 samples: Words 120–250 (mean 182)');
  });
});

describe('samplesOf', () => {
  it('lists one sample per repeat with its run, settled when all its arms are', () => {
    const cells = [cell(1, 0, []), cell(0, 0, []), cell(0, 1, [], 'running'), cell(1, 1, [], 'failed')];
    expect(samplesOf(cells)).toEqual([
      { repeat: 0, runId: 'run-0', settled: false },
      { repeat: 1, runId: 'run-1', settled: true },
    ]);
  });
});
