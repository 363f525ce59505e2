/**
 * Semantic robustness end to end: the real scores service → the real Bedrock service → the real
 * AWS SDK → the fake Bedrock server over HTTP/2, and the score back in SQLite. Each arm's stored
 * request is sent again with seeded perturbations of its last user message.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { ExperimentConfig, type ArmRequest } from '../../../shared/domain';
import { perturbations, type PerturbationKind } from '../../../shared/metrics';
import type { RobustnessDetails } from '../../../shared/scores/robustness';
import type { Score, ScoreSettings } from '../../../shared/scores/types';
import type { ReceivedRequest } from '../../support/fake-bedrock';
import { storeFinishedRun } from '../../support/score-fixtures';
import { useServicesAgainstFake } from '../../support/services-against-fake';

// Long enough that every seeded perturbation differs from the original and from each other.
const INPUT = 'Which of the two registered nurses should the hospital hire for the night shift, and why?';
const EARLIER: ArmRequest['messages'] = [
  { role: 'user', text: 'We are hiring a nurse.' },
  { role: 'assistant', text: 'Happy to help with that.' },
];
const ARMS = [
  { modelId: 'amazon.nova-lite-v1:0', system: '', inference: { temperature: 0.2, maxTokens: 300 } },
  { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', system: 'Avoid stereotypes.', inference: { temperature: 0.7, topP: 0.9, stopSequences: ['END'] } },
];

const ctx = useServicesAgainstFake('parallax-robustness-');

/** A finished run whose arms replay two earlier turns and differ in model, system and inference. */
function storeRun(texts: readonly string[]): string {
  const arms = texts.map((_, index) => ARMS[index]!);
  const legacyArms = arms.map((arm, index) => ({
      label: index === 0 ? 'Baseline' : 'Guarded',
      technique: index === 0 ? 'none' : 'bias-guard',
      modelId: arm.modelId,
      inference: arm.inference,
      system: arm.system,
      history: EARLIER,
      template: INPUT,
  }));
  // stored as before issue 9 (full copies), upgraded as every parse does
  const config = ExperimentConfig.parse({ variables: [], arms: legacyArms });
  const id = ctx.services.runs.create({
    experimentId: null,
    title: 'Robustness run',
    config,
    arms: legacyArms.map((arm) => ({
      label: arm.label,
      technique: arm.technique,
      modelId: arm.modelId,
      request: { system: arm.system, messages: [...EARLIER, { role: 'user', text: INPUT }], inference: arm.inference },
    })),
  });
  texts.forEach((text, index) => ctx.services.runs.updateArm(id, index, { text, status: 'completed', stopReason: 'end_turn' }));
  ctx.services.runs.finish(id, 'completed');
  return id;
}

function useRobustness(patch: Partial<ScoreSettings['robustness']>, reference = ''): void {
  const current = ctx.services.scores.settings(null);
  ctx.services.scores.saveSettings(null, { ...current, reference, robustness: { ...current.robustness, ...patch } });
}

function inputsFor(kind: PerturbationKind, seed: number, count: number): string[] {
  const inputs = perturbations(INPUT, kind, { seed, count });
  // Preconditions of the scripted rules below: every input is distinct and perturbed.
  expect(new Set([...inputs, INPUT]).size).toBe(count + 1);
  return inputs;
}

const lastText = (request: ReceivedRequest): string => request.body.messages.at(-1).content[0].text as string;
const converseCalls = () => ctx.fake.requests.filter((request) => request.operation === 'Converse');

function robustnessOf(scores: Score[], armIndex: number): Score & { details: RobustnessDetails } {
  const found = scores.find((score) => score.scorer === 'robustness' && score.armIndex === armIndex);
  if (!found) throw new Error(`no robustness score for arm ${armIndex}`);
  return found as Score & { details: RobustnessDetails };
}

describe('semantic robustness over the wire', () => {
  it('sends 5 (the default) perturbed copies of the last user message per arm, with the same model, system, earlier turns and inference', async () => {
    const runId = storeRun(['The nurse with more night-shift experience.', 'Whoever has the stronger record.']);
    useRobustness({ compareWith: 'original' });
    const expected = inputsFor('butter-finger', 1, 5);

    const result = await ctx.services.scores.run(runId, { robustness: true });

    const calls = converseCalls();
    expect(calls).toHaveLength(10);
    expect(ctx.fake.requests.filter((request) => request.operation === 'ConverseStream')).toHaveLength(0);
    for (const [index, arm] of ARMS.entries()) {
      const mine = calls.filter((request) => request.modelId === arm.modelId);
      expect(mine).toHaveLength(5);
      expect(mine.map(lastText).sort()).toEqual([...expected].sort());
      for (const request of mine) {
        expect(request.body.messages.slice(0, 2)).toEqual(EARLIER.map((turn) => ({ role: turn.role, content: [{ text: turn.text }] })));
        expect(request.body.messages).toHaveLength(3);
        expect(request.body.system).toEqual(arm.system ? [{ text: arm.system }] : undefined);
        expect(request.body.toolConfig).toBeUndefined();
      }
      expect(mine[0]!.body.inferenceConfig).toEqual(arm.inference);
      const score = robustnessOf(result.scores, index);
      expect(score).toMatchObject({ kind: 'metric', passed: null, error: null, modelId: arm.modelId, stale: false });
      expect(score.details).toMatchObject({ kind: 'butter-finger', count: 5, seed: 1, baseMetric: 'f1', compareWith: 'original', originalInput: INPUT, perturbedInputs: expected });
      expect(score.details.perturbedOutputs).toHaveLength(5);
    }
  });

  it('is reproducible: the same seed gives the same perturbed inputs, another seed other ones', async () => {
    const runId = storeRun(['An answer.']);
    useRobustness({ kind: 'random-upper-case', count: 3, seed: 1234, baseMetric: 'words' });

    const first = robustnessOf((await ctx.services.scores.run(runId, { robustness: true })).scores, 0).details.perturbedInputs;
    const sentFirst = converseCalls().map(lastText);
    ctx.fake.reset();
    const second = robustnessOf((await ctx.services.scores.run(runId, { robustness: true })).scores, 0).details.perturbedInputs;
    const sentSecond = converseCalls().map(lastText);
    ctx.fake.reset();
    const other = robustnessOf((await ctx.services.scores.run(runId, { robustness: true, inputs: { robustness: { kind: 'random-upper-case', count: 3, seed: 99, baseMetric: 'words', compareWith: 'reference' } } })).scores, 0);

    expect(first).toEqual(inputsFor('random-upper-case', 1234, 3));
    expect(second).toEqual(first);
    expect([...sentSecond].sort()).toEqual([...sentFirst].sort());
    expect([...sentFirst].sort()).toEqual([...first].sort());
    expect(other.details.seed).toBe(99);
    expect(other.details.perturbedInputs).not.toEqual(first);
    // The one-off inputs did not change the stored settings.
    expect(ctx.services.scores.settings(null).robustness.seed).toBe(1234);
  });

  it('words 6 → [6, 7, 6, 3, 6]: Δ = (0+1+0+3+0)/5 = 0.8; WER = (0 + 1 ins + 1 sub + 3 del + 2 sub)/6 words/5 = 7/30', async () => {
    const runId = storeRun(['the cat sat on the mat']);
    useRobustness({ baseMetric: 'words' });
    const inputs = inputsFor('butter-finger', 1, 5);
    const replies = ['the cat sat on the mat', 'the cat sat on the mat today', 'the dog sat on the mat', 'the cat sat', 'a cat sat on the rug'];
    inputs.forEach((input, index) => ctx.fake.on({ prompt: input, reply: { text: replies[index]! } }));

    const score = robustnessOf((await ctx.services.scores.run(runId, { robustness: true })).scores, 0);

    expect(score.error).toBeNull();
    expect(score.value).toBeCloseTo(0.8, 12);
    expect(score.details.werMean).toBeCloseTo(7 / 30, 12);
    expect(score.details.originalScore).toBe(6);
    expect(score.details.perScore).toEqual([6, 7, 6, 3, 6]);
    expect(score.details.perWer.map((wer) => wer * 6)).toEqual([0, 1, 1, 3, 2].map((n) => expect.closeTo(n, 12)));
    // Outputs are stored against the input that produced them, whatever order the calls finished in.
    expect(score.details.perturbedOutputs).toEqual(replies);
    expect(score.feedback).toMatch(/Words over 5 butter-finger perturbations.*0\.23/);
    // Stored in SQLite like any other score.
    const row = ctx.services.db.prepare("SELECT kind, value, error FROM scores WHERE run_id = ? AND scorer = 'robustness'").get(runId);
    expect(row).toEqual({ kind: 'metric', value: 0.8, error: null });
  });

  it('f1 against the reference "blue whale", 2 × whitespace: outputs f1 [1, 0.5] vs original 1 → Δ = (0+0.5)/2 = 0.25; WER = (0 + 2/2)/2 = 0.5', async () => {
    const runId = storeRun(['blue whale', 'The blue whale.']);
    useRobustness({ kind: 'whitespace-add-remove', count: 2, seed: 5, baseMetric: 'f1' }, 'blue whale');
    const inputs = inputsFor('whitespace-add-remove', 5, 2);
    // Arm 0: "blue whale" → ["blue whale", "whale shark"]; arm 1 gets the same outputs as its original.
    ctx.fake.on({ model: ARMS[0]!.modelId, prompt: inputs[0]!, reply: { text: 'blue whale' } });
    ctx.fake.on({ model: ARMS[0]!.modelId, prompt: inputs[1]!, reply: { text: 'whale shark' } });
    ctx.fake.on({ model: ARMS[1]!.modelId, reply: { text: 'The blue whale.' } });

    const result = await ctx.services.scores.run(runId, { robustness: true, metrics: ['f1'] });

    const baseline = robustnessOf(result.scores, 0);
    expect(baseline.value).toBeCloseTo(0.25, 12);
    expect(baseline.details.werMean).toBeCloseTo(0.5, 12);
    expect(baseline.details.perScore).toEqual([1, 0.5]);
    // The guarded arm answered the same to every perturbation: perfectly robust.
    expect(robustnessOf(result.scores, 1)).toMatchObject({ value: 0, details: { werMean: 0, perScore: [1, 1] } });
    expect(result.scores.find((score) => score.scorer === 'f1' && score.armIndex === 0)).toMatchObject({ value: 1, error: null });
  });

  it('a Bedrock error on one perturbed call is an error on that arm’s robustness score only', async () => {
    const runId = storeRun(['first answer', 'second answer']);
    useRobustness({ count: 3, baseMetric: 'words' });
    const inputs = inputsFor('butter-finger', 1, 3);
    ctx.fake.on({ model: ARMS[1]!.modelId, prompt: inputs[1]!, error: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } });

    const result = await ctx.services.scores.run(runId, { robustness: true, metrics: ['words'] });

    const broken = robustnessOf(result.scores, 1);
    expect(broken).toMatchObject({ value: null, passed: null, kind: 'metric' });
    expect(broken.error).toMatch(/perturbed input 2 of 3 failed/);
    expect(broken.error).not.toMatch(/internal/i);
    expect(broken.details.perturbedInputs).toEqual(inputs);
    expect(broken.details.perturbedOutputs[1]).toBeNull();
    expect(robustnessOf(result.scores, 0)).toMatchObject({ error: null, value: expect.any(Number) });
    expect(result.scores.filter((score) => score.scorer === 'words').map((score) => score.error)).toEqual([null, null]);
    expect(ctx.services.runs.get(runId)!.status).toBe('completed');
  });

  it('says a reference answer is needed without calling the model', async () => {
    const runId = storeRun(['An answer.']);
    useRobustness({ baseMetric: 'rougeL', compareWith: 'reference' });

    const result = await ctx.services.scores.run(runId, { robustness: true });

    expect(robustnessOf(result.scores, 0).error).toMatch(/ROUGE-L needs a reference answer/);
    expect(ctx.fake.requests).toHaveLength(0);
  });

  it('stops the perturbed calls when scoring is cancelled, and stores nothing', async () => {
    const runId = storeRun(['An answer.', 'Another answer.']);
    useRobustness({ count: 5, baseMetric: 'words' });
    ctx.fake.setDefaultPace({ firstTokenMs: 5_000 });

    const scoring = ctx.services.scores.run(runId, { robustness: true });
    await expect.poll(() => converseCalls().length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(ctx.services.scores.cancel(runId)).toBe(true);

    await expect(scoring).rejects.toMatchObject({ code: 'cancelled' });
    // Two calls per arm at a time: the rest were never sent.
    expect(converseCalls().length).toBeLessThanOrEqual(4);
    await expect.poll(() => converseCalls().every((request) => request.closedByClient), { timeout: 5_000 }).toBe(true);
    expect(ctx.services.scores.get(runId).scores).toEqual([]);
  });

  it('runs through the handler table only when asked, never after a run by default', async () => {
    const runId = storeFinishedRun(ctx.services.runs, ['An answer.']);
    const handlers = createHandlers(ctx.services, () => undefined);
    const saved = await dispatch(handlers, 'scores:settings-save', {
      experimentId: null,
      settings: { autoMetrics: ['words'], robustness: { count: 2, baseMetric: 'refusal' } },
    });
    expect(saved).toMatchObject({ ok: true, value: { autoRobustness: false, robustness: { kind: 'butter-finger', count: 2, seed: 1, baseMetric: 'refusal' } } });

    await ctx.services.scores.afterRun(runId);
    expect(ctx.fake.requests).toHaveLength(0);

    const ran = await dispatch(handlers, 'scores:run', { runId, robustness: true });
    expect(ran.ok).toBe(true);
    expect(converseCalls()).toHaveLength(2);
    const score = robustnessOf((ran as { ok: true; value: { scores: Score[] } }).value.scores, 0);
    // The fake's default reply is no refusal, nor is the original: refusal 0 → 0, Δ 0.
    expect(score).toMatchObject({ value: 0, error: null, details: { baseMetric: 'refusal', count: 2 } });

    const bad = await dispatch(handlers, 'scores:settings-save', { experimentId: null, settings: { robustness: { count: 50 } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});
