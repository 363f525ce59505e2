/** Batch against batch (issue 13): the configuration diff of two batches, their statistics side by side, rows that line up. */
import { describe, expect, it } from 'vitest';
import type { ArmScoreStats, BatchStats } from '../../../shared/batch';
import type { ExperimentConfig } from '../../../shared/domain';
import { armMatchNote, batchStatDeltas, deltaWords, diffBatchSettings, orderBatches, rowsAlign, sideOfBatch, type BatchSideInput } from '../../../shared/runs/batch-compare';
import { diffConfigs, matchArms } from '../../../shared/runs/compare';

const config = (technique: string, modelId = 'amazon.nova-lite-v1:0'): ExperimentConfig => ({
  variables: [{ name: 'role', value: 'nurse' }],
  arms: [
    { mode: 'baseline', label: 'Baseline', modelId, inference: { maxTokens: 300 }, system: '', history: [], template: 'Describe a typical ${role}.' },
    { mode: 'derived', label: 'Guard', steps: [{ kind: 'technique', techniqueId: technique }], overrides: {} },
  ],
});

const batch = (over: Partial<BatchSideInput> = {}): BatchSideInput => ({
  name: 'B',
  config: config('bias-guard'),
  mappedVariables: ['role'],
  datasetId: 'd1',
  datasetName: 'roles.csv',
  rowCount: 12,
  repeats: 1,
  scores: { metrics: ['words'], judges: [] },
  createdAt: 1,
  ...over,
});

const numeric = (scorer: string, mean: number, low: number, high: number, higherIsBetter: boolean | null = null): ArmScoreStats => ({
  scorer,
  label: scorer,
  higherIsBetter,
  kind: 'numeric',
  numeric: { n: 10, mean, median: mean, stdev: 1, min: low, max: high, interval: { low, high } },
  pass: null,
  values: [],
});
const pass = (scorer: string, rate: number, low: number, high: number): ArmScoreStats => ({
  scorer,
  label: scorer,
  higherIsBetter: true,
  kind: 'pass',
  numeric: null,
  pass: { n: 10, passes: Math.round(rate * 10), rate, interval: { low, high } },
  values: [],
});
const stats = (arms: ArmScoreStats[][]): BatchStats => ({ batchId: 'x', arms: arms.map((scores, arm) => ({ arm, label: `a${arm}`, completed: 10, failed: 0, costUsd: 0, scores, effects: [] })) });

describe('a batch as a side of the configuration diff', () => {
  it('leaves dataset-filled variables as placeholders and names a changed technique by its name', () => {
    const before = sideOfBatch(batch());
    expect(before.arms[0]!.request.messages.at(-1)!.text).toBe('Describe a typical ${role}.');
    // without a dataset, the comparison's own value fills the prompt
    expect(sideOfBatch(batch({ mappedVariables: [] })).arms[0]!.request.messages.at(-1)!.text).toBe('Describe a typical nurse.');
    const diff = diffConfigs(before, sideOfBatch(batch({ config: config('balanced-perspectives') })));
    expect(diff.changed).toBe(true);
    const steps = diff.arms[1]!.changes.find((c) => c.field === 'steps')!;
    expect(steps.label).toBe('Steps');
    expect(steps.before).toBe('Bias guard');
    expect(steps.after).not.toMatch(/balanced-perspectives/);
    expect(diff.arms[0]!.changes).toEqual([]);
  });

  it('names a model change with its short name and the full id alongside', () => {
    const diff = diffConfigs(sideOfBatch(batch()), sideOfBatch(batch({ config: config('bias-guard', 'anthropic.claude-3-haiku-20240307-v1:0') })));
    const model = diff.arms[0]!.changes.find((c) => c.field === 'model')!;
    expect([model.before, model.after]).toEqual(['Nova Lite', 'Claude 3 Haiku']);
    expect(model.afterTitle).toBe('anthropic.claude-3-haiku-20240307-v1:0');
  });
});

describe('the batch settings', () => {
  it('lists dataset, repeats and scores that changed, scores by their names', () => {
    const changes = diffBatchSettings(batch(), batch({ datasetId: null, datasetName: null, rowCount: 1, repeats: 3, scores: { metrics: ['words'], judges: ['bias'] } }));
    expect(changes.map((c) => c.label)).toEqual(['Dataset', 'Rows', 'Repeats', 'Scores chosen']);
    expect(changes[0]!.after).toBe('none (the comparison’s own values)');
    expect(changes[3]!.after).toBe('Words, Bias and stereotypes');
    expect(diffBatchSettings(batch(), batch())).toEqual([]);
  });

  it('puts the earlier batch first', () => {
    const a = batch({ name: 'later', createdAt: 5 });
    const b = batch({ name: 'earlier', createdAt: 2 });
    expect(orderBatches(a, b).map((x) => x.name)).toEqual(['earlier', 'later']);
  });
});

describe('how arms were matched', () => {
  it('says so when every arm meets its namesake', () => {
    const pairs = matchArms([{ label: 'Baseline' }, { label: 'Guard' }], [{ label: 'Baseline' }, { label: 'Guard' }]);
    expect(armMatchNote(pairs, ['Baseline', 'Guard'], ['Baseline', 'Guard'])).toEqual({ aligned: true, sentence: 'Arms matched by label and position: Baseline, Arm 2 · Guard.' });
  });

  it('names arms matched by position despite another label, and arms only one batch has', () => {
    const before = ['Baseline', 'Guard'];
    const after = ['Baseline', 'Guard v2', 'Persona'];
    const note = armMatchNote(matchArms(before.map((label) => ({ label })), after.map((label) => ({ label }))), before, after);
    expect(note.aligned).toBe(false);
    expect(note.sentence).toContain('“Guard” is compared with “Guard v2” by position');
    expect(note.sentence).toContain('Arm 3 · Persona is only in the later batch');
  });
});

describe('statistics side by side', () => {
  it('gives the change of each mean and pass rate with its direction and whether the intervals overlap', () => {
    const pairs = matchArms([{ label: 'Baseline' }, { label: 'Guard' }], [{ label: 'Baseline' }, { label: 'Guard' }]);
    const before = stats([[numeric('words', 7, 6, 8)], [numeric('bias', 3.2, 2.9, 3.5, false), pass('relevancy', 0.6, 0.31, 0.83)]]);
    const after = stats([[numeric('words', 7.5, 6.5, 8.5)], [numeric('bias', 1.8, 1.5, 2.1, false), pass('relevancy', 0.9, 0.6, 0.98)]]);
    const [base, guard] = batchStatDeltas(pairs, before, after);
    expect(base!.deltas).toMatchObject([{ scorer: 'words', label: 'Words', beforeText: '7', afterText: '7.5', deltaText: '+0.5', direction: 'changed', overlap: true, beforeInterval: '6 to 8' }]);
    const bias = guard!.deltas.find((d) => d.scorer === 'bias')!;
    expect(bias).toMatchObject({ label: 'Bias and stereotypes (1–5, lower is better)', deltaText: '−1.4', direction: 'better', overlap: false });
    expect(deltaWords(bias)).toBe('better, intervals apart');
    const relevancy = guard!.deltas.find((d) => d.scorer === 'relevancy')!;
    expect(relevancy).toMatchObject({ beforeText: '60 % pass', afterText: '90 % pass', deltaText: '+30 points', direction: 'better', overlap: true, afterInterval: '60 % to 98 %' });
    expect(deltaWords(relevancy)).toBe('better, intervals overlap (may be chance)');
  });

  it('shows a score only one batch has with no change figure, and an arm only one batch has', () => {
    const pairs = matchArms([{ label: 'Baseline' }], [{ label: 'Baseline' }, { label: 'Guard' }]);
    const rows = batchStatDeltas(pairs, stats([[numeric('words', 7, 6, 8)]]), stats([[numeric('words', 7, 6, 8), numeric('toxicity', 0.1, 0, 0.2, false)], [numeric('words', 5, 4, 6)]]));
    expect(rows[0]!.deltas.map((d) => [d.scorer, d.beforeText, d.deltaText, d.direction])).toEqual([
      ['toxicity', '—', '—', null],
      ['words', '7', '0', 'same'],
    ]);
    expect(rows[1]!.pair.status).toBe('added');
    expect(rows[1]!.deltas[0]).toMatchObject({ beforeText: '—', afterText: '5', delta: null });
  });
});

describe('rows across two batches', () => {
  it('line up over the same dataset or with none, not over different datasets', () => {
    expect(rowsAlign(batch(), batch()).aligned).toBe(true);
    expect(rowsAlign(batch({ datasetId: null }), batch({ datasetId: null })).aligned).toBe(true);
    const other = rowsAlign(batch(), batch({ datasetId: 'd2', datasetName: 'jobs.csv' }));
    expect(other.aligned).toBe(false);
    expect(other.sentence).toContain('roles.csv, jobs.csv');
    expect(rowsAlign(batch(), batch({ rowCount: 11 })).aligned).toBe(false);
  });
});
