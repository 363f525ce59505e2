/** Run against run (issue 13): arm matching, the configuration diff with friendly labels, score deltas. */
import { describe, expect, it } from 'vitest';
import type { ArmRequest, ExperimentConfig } from '../../../shared/domain';
import { diffConfigs, matchArms, scoreDeltas, sideOfRun, type Side } from '../../../shared/runs/compare';
import type { Score } from '../../../shared/scores/types';

const request = (system: string, prompt: string, inference: ArmRequest['inference'] = { temperature: 0.5, maxTokens: 512 }): ArmRequest => ({ system, messages: [{ role: 'user', text: prompt }], inference });

function run(opts: { prompt?: string; temperature?: number; guardModel?: string; labels?: string[]; steps?: string[]; role?: string }): Side {
  const labels = opts.labels ?? ['Baseline', 'Bias guard'];
  const config: ExperimentConfig = {
    variables: [{ name: 'role', value: opts.role ?? 'nurse' }],
    arms: [
      { mode: 'baseline', label: labels[0]!, modelId: 'amazon.nova-lite-v1:0', inference: { temperature: opts.temperature ?? 0.5, maxTokens: 512 }, system: '', history: [], template: opts.prompt ?? 'Describe a typical ${role}.' },
      ...labels.slice(1).map((label, i) => ({ mode: 'derived' as const, label, steps: (opts.steps ?? ['bias-guard']).slice(i, i + 1).map((id) => ({ kind: 'technique' as const, techniqueId: id })), overrides: opts.guardModel && i === 0 ? { modelId: opts.guardModel } : {} })),
    ],
  };
  const prompt = (opts.prompt ?? 'Describe a typical ${role}.').replace('${role}', opts.role ?? 'nurse');
  return sideOfRun({
    config,
    arms: labels.map((label, i) => ({
      label,
      modelId: i === 1 && opts.guardModel ? opts.guardModel : 'amazon.nova-lite-v1:0',
      request: request(i === 0 ? '' : 'Avoid stereotypes.', prompt, { temperature: opts.temperature ?? 0.5, maxTokens: 512 }),
      text: `answer ${i}`,
    })),
  });
}

describe('matchArms', () => {
  it('pairs the baseline with the baseline, then arms by label, even when they moved', () => {
    const pairs = matchArms([{ label: 'Baseline' }, { label: 'Bias guard' }, { label: 'Critique' }], [{ label: 'Baseline' }, { label: 'Critique' }, { label: 'Bias guard' }]);
    expect(pairs.map((p) => [p.before, p.after, p.label, p.status])).toEqual([
      [0, 0, 'Baseline', 'matched'],
      [2, 1, 'Critique', 'matched'],
      [1, 2, 'Bias guard', 'matched'],
    ]);
  });

  it('pairs renamed arms by position and lists arms only one run has', () => {
    const pairs = matchArms([{ label: 'Baseline' }, { label: 'Guard' }, { label: 'Extra' }], [{ label: 'Plain' }, { label: 'Guard v2' }]);
    expect(pairs.map((p) => [p.before, p.after, p.label, p.status])).toEqual([
      [0, 0, 'Baseline → Plain', 'matched'],
      [1, 1, 'Guard → Guard v2', 'matched'],
      [2, null, 'Extra', 'removed'],
    ]);
    const grown = matchArms([{ label: 'Baseline' }, { label: 'Guard' }], [{ label: 'Baseline' }, { label: 'Guard' }, { label: 'New' }]);
    expect(grown.at(-1)).toMatchObject({ before: null, after: 2, label: 'New', status: 'added' });
  });
});

describe('diffConfigs', () => {
  it('finds nothing between two runs of the same configuration', () => {
    const diff = diffConfigs(run({}), run({}));
    expect(diff.changed).toBe(false);
    expect(diff.arms.every((a) => a.changes.length === 0)).toBe(true);
  });

  it('names a changed prompt, temperature and model with friendly labels, per arm', () => {
    const diff = diffConfigs(run({}), run({ prompt: 'Describe a ${role} you admire.', temperature: 0.9, guardModel: 'anthropic.claude-3-haiku-20240307-v1:0' }));
    expect(diff.changed).toBe(true);
    const baseline = diff.arms[0]!.changes;
    expect(baseline.map((c) => c.label)).toEqual(['Temperature', 'Prompt']);
    expect(baseline.find((c) => c.label === 'Prompt')).toMatchObject({ kind: 'text', before: 'Describe a typical nurse.', after: 'Describe a nurse you admire.' });
    expect(baseline.find((c) => c.label === 'Temperature')).toMatchObject({ kind: 'value', before: '0.5', after: '0.9' });
    const guard = diff.arms[1]!.changes;
    expect(guard.find((c) => c.label === 'Model')).toMatchObject({ before: 'Nova Lite', after: 'Claude 3 Haiku', afterTitle: 'anthropic.claude-3-haiku-20240307-v1:0' });
  });

  it('shows changed steps by their technique names and changed variables by name', () => {
    const diff = diffConfigs(run({ steps: ['bias-guard'] }), run({ steps: ['balanced-perspectives'], role: 'pilot' }));
    const steps = diff.arms[1]!.changes.find((c) => c.field === 'steps');
    expect(steps?.before).toBe('Bias guard');
    expect(steps?.after).toBe('Balanced perspectives');
    expect(diff.variables).toEqual([{ field: 'variable.role', label: '${role}', kind: 'value', before: 'nurse', after: 'pilot' }]);
  });

  it('lists an added arm with what it holds', () => {
    const diff = diffConfigs(run({}), run({ labels: ['Baseline', 'Bias guard', 'Second guard'], steps: ['bias-guard', 'bias-guard'] }));
    const added = diff.arms.find((a) => a.pair.status === 'added')!;
    expect(added.pair.label).toBe('Second guard');
    expect(added.changes.find((c) => c.label === 'Prompt')).toMatchObject({ before: '', after: 'Describe a typical nurse.' });
    expect(diff.changed).toBe(true);
  });
});

describe('scoreDeltas', () => {
  const score = (armIndex: number, scorer: string, value: number | null, otherArmIndex: number | null = null): Score => ({
    runId: 'r', armIndex, otherArmIndex, kind: scorer === 'bias' ? 'judge' : 'metric', scorer, value, details: null, passed: null, feedback: '', prompt: null, modelId: null, error: null, stale: false, createdAt: 1,
  });

  it('gives after − before per matched arm, with the score direction and friendly labels', () => {
    const pairs = matchArms([{ label: 'Baseline' }, { label: 'Guard' }], [{ label: 'Baseline' }, { label: 'Guard' }]);
    const rows = scoreDeltas(pairs, [score(0, 'bias', 4), score(1, 'bias', 3), score(1, 'words', 100), score(1, 'pairwise', 1, 0)], [score(0, 'bias', 4), score(1, 'bias', 1.5), score(1, 'words', 80.25)]);
    expect(rows[0]!.deltas).toEqual([expect.objectContaining({ label: 'Bias and stereotypes', beforeText: '4/5', afterText: '4/5', deltaText: '0', direction: 'same' })]);
    const guard = rows[1]!.deltas;
    expect(guard.map((d) => d.scorer)).toEqual(['bias', 'words']);
    expect(guard[0]).toMatchObject({ delta: -1.5, deltaText: '\u22121.5', direction: 'better' });
    expect(guard[1]).toMatchObject({ deltaText: '\u221219.75', direction: 'changed' });
  });

  it('shows a score only one run has without a delta', () => {
    const pairs = matchArms([{ label: 'Baseline' }], [{ label: 'Baseline' }]);
    const [row] = scoreDeltas(pairs, [], [score(0, 'bias', 2)]);
    expect(row!.deltas[0]).toMatchObject({ beforeText: '—', afterText: '2/5', delta: null, deltaText: '—', direction: null });
  });
});
