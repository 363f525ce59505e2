/**
 * The comparison runner with the real AWS SDK against the fake Bedrock over the wire, writing to
 * a real SQLite file: concurrency, rows updated while streaming, cancel, a failing arm, re-run.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArmConfig, ExperimentConfig } from '../../shared/domain';
import type { RunSink } from '../../electron/services/runner';
import { createHandlers } from '../../electron/handlers';
import { dispatch } from '../../electron/dispatch';
import { waitFor } from '../support/async';
import { useServicesAgainstFake } from '../support/services-against-fake';

const WORDS = Array.from({ length: 40 }, (_, i) => `word${i}`);
const REPLY_A = `Alpha ${WORDS.join(' ')}.`;
const REPLY_B = `Bravo ${WORDS.join(' ')}.`;

const ctx = useServicesAgainstFake('parallax-runner-int-');
let events: { event: string; payload: Record<string, unknown> }[];
const emit: RunSink = (event, payload) => events.push({ event, payload: payload as unknown as Record<string, unknown> });

beforeEach(() => {
  events = [];
});

const arm = (label: string, modelId: string, template: string): ArmConfig =>
  label === 'Baseline'
    ? { mode: 'baseline', label, modelId, inference: { temperature: 0.3, maxTokens: 300 }, system: '', history: [], template }
    : { mode: 'detached', label, modelId, inference: { temperature: 0.3, maxTokens: 300 }, system: 'Be fair.', history: [], template, steps: [] };
const twoArms: ExperimentConfig = {
  variables: [{ name: 'role', value: 'nurse' }],
  arms: [arm('Baseline', 'amazon.nova-lite-v1:0', 'Describe a ${role}.'), arm('Guarded', 'anthropic.claude-3-haiku-20240307-v1:0', 'Fairly: describe a ${role}.')],
};
const pace = { firstTokenMs: 50, tokensPerSecond: 100, wordsPerChunk: 1 };

function scriptBoth() {
  ctx.fake.on({ model: 'nova-lite', reply: { text: REPLY_A }, pace });
  ctx.fake.on({ model: 'claude', reply: { text: REPLY_B }, pace });
}

describe('the runner over the wire', () => {
  it('streams two arms at once, saving text while they stream, and stores the full outcome', async () => {
    scriptBoth();
    const run = ctx.services.runner.start({ experimentId: null, title: 'Two arms', config: twoArms }, emit);
    expect(run.arms.map((a) => a.status)).toEqual(['pending', 'pending']);

    // both arms have text in the database before either finished: concurrent, saved as they go
    await waitFor(() => {
      const arms = ctx.services.runs.get(run.id)!.arms;
      return arms.every((a) => a.status === 'streaming' && a.text.length > 20);
    }, 5_000);
    expect(ctx.services.runs.get(run.id)!.status).toBe('running');

    await ctx.services.runner.whenSettled(run.id);
    const stored = ctx.services.runs.get(run.id)!;
    expect(stored.status).toBe('completed');
    expect(stored.arms.map((a) => a.text)).toEqual([REPLY_A, REPLY_B]);
    for (const a of stored.arms) {
      expect(a.status).toBe('completed');
      expect(a.stopReason).toBe('end_turn');
      expect(a.metrics.ttftMs).toBeGreaterThanOrEqual(40);
      expect(a.metrics.totalMs).toBeGreaterThan(a.metrics.ttftMs!);
      expect(a.metrics.inputTokens).toBeGreaterThan(0);
      expect(a.metrics.outputTokens).toBeGreaterThan(0);
      expect(a.metrics.costUsd).toBeGreaterThan(0); // both models have shipped price estimates
    }
    // what each arm sent, resolved, on the wire and in the snapshot
    const sent = ctx.fake.requests.filter((r) => r.operation === 'ConverseStream');
    expect(sent).toHaveLength(2);
    const guarded = sent.find((r) => r.modelId?.includes('claude'))!;
    expect(guarded.body.system).toEqual([{ text: 'Be fair.' }]);
    expect(guarded.body.messages).toEqual([{ role: 'user', content: [{ text: 'Fairly: describe a nurse.' }] }]);
    expect(guarded.body.inferenceConfig).toMatchObject({ temperature: 0.3, maxTokens: 300 });
    expect(stored.arms[1]!.request.messages).toEqual([{ role: 'user', text: 'Fairly: describe a nurse.' }]);
    expect(stored.config).toEqual(twoArms);
    // the two arms overlapped in time
    expect(Math.abs(sent[0]!.receivedAt - sent[1]!.receivedAt)).toBeLessThan(300);

    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('run:started');
    expect(kinds.at(-1)).toBe('run:finished');
    for (const index of [0, 1]) {
      const text = events
        .filter((e) => e.event === 'run:delta' && e.payload.armIndex === index)
        .map((e) => e.payload.text)
        .join('');
      expect(text).toBe(index === 0 ? REPLY_A : REPLY_B);
    }
  });

  it('Stop cancels every arm mid-stream, keeps the partial text and closes the HTTP streams', async () => {
    ctx.fake.on({ reply: { text: REPLY_A }, pace: { firstTokenMs: 20, tokensPerSecond: 40, wordsPerChunk: 1 } });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Stop', config: twoArms }, emit);
    await waitFor(() => ctx.services.runs.get(run.id)!.arms.every((a) => a.text.split(' ').length >= 4), 5_000);
    expect(ctx.services.runner.cancel(run.id)).toBe(2);

    const stored = ctx.services.runs.get(run.id)!;
    expect(stored.status).toBe('cancelled');
    for (const a of stored.arms) {
      expect(a.status).toBe('cancelled');
      expect(a.text.length).toBeGreaterThan(0);
      expect(REPLY_A.startsWith(a.text)).toBe(true);
      expect(a.text).not.toBe(REPLY_A);
      expect(a.error).toBeNull();
    }
    await waitFor(() => ctx.fake.openStreams() === 0, 3_000);
    expect(ctx.fake.requests.filter((r) => r.operation === 'ConverseStream').every((r) => r.closedByClient)).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'run:finished', payload: { runId: run.id, status: 'cancelled' } });
    // nothing more is written once stopped
    const text = stored.arms.map((a) => a.text);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ctx.services.runs.get(run.id)!.arms.map((a) => a.text)).toEqual(text);
  });

  it('an arm that fails mid-stream keeps its partial text and the actionable error; the other completes', async () => {
    ctx.fake.on({ model: 'nova-lite', reply: { text: REPLY_A }, pace });
    ctx.fake.on({ model: 'claude', streamError: { afterChunks: 5, type: 'modelStreamErrorException', message: 'The model stopped unexpectedly' }, pace });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Failure', config: twoArms }, emit);
    await ctx.services.runner.whenSettled(run.id);

    const stored = ctx.services.runs.get(run.id)!;
    expect(stored.status).toBe('failed');
    expect(stored.arms[0]!.status).toBe('completed');
    const failed = stored.arms[1]!;
    expect(failed.status).toBe('failed');
    expect(failed.text.trim().split(/\s+/)).toHaveLength(5);
    expect(failed.error).toMatchObject({ code: 'bedrock' });
    expect(failed.error!.message.length).toBeGreaterThan(10);
    expect(failed.error!.details ?? '').toMatch(/stopped unexpectedly|ModelStreamError/i);
    const armEvent = events.filter((e) => e.event === 'run:arm' && e.payload.armIndex === 1).at(-1)!;
    expect(armEvent.payload).toMatchObject({ status: 'failed', text: failed.text });
  });

  it('re-runs one arm alone: its row is reset and refilled, the other arm is untouched', async () => {
    ctx.fake.on({ model: 'nova-lite', reply: { text: REPLY_A }, pace });
    ctx.fake.on({ model: 'claude', times: 1, error: { status: 403, type: 'AccessDeniedException', message: 'You do not have access to the model' } });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Rerun', config: twoArms }, emit);
    await ctx.services.runner.whenSettled(run.id);
    expect(ctx.services.runs.get(run.id)!.arms[1]!.status).toBe('failed');
    expect(ctx.services.runs.get(run.id)!.status).toBe('failed');

    ctx.fake.on({ model: 'claude', reply: { text: REPLY_B }, pace });
    const before = ctx.fake.requests.length;
    const again = ctx.services.runner.rerunArm(run.id, 1, emit);
    expect(again.arms[1]).toMatchObject({ status: 'pending', text: '', error: null });
    expect(again.status).toBe('running');
    expect(() => ctx.services.runner.rerunArm(run.id, 1, emit)).toThrow(/still running/);
    await ctx.services.runner.whenSettled(run.id);

    const stored = ctx.services.runs.get(run.id)!;
    expect(stored.status).toBe('completed');
    expect(stored.arms.map((a) => [a.status, a.text])).toEqual([
      ['completed', REPLY_A],
      ['completed', REPLY_B],
    ]);
    const rerunRequests = ctx.fake.requests.slice(before);
    expect(rerunRequests).toHaveLength(1);
    expect(rerunRequests[0]!.modelId).toContain('claude');
  });

  it('suggests a mitigation through Converse with the generation model', async () => {
    ctx.fake.on({ operation: 'Converse', reply: { text: '"What shapes how people choose nursing as a career?"' } });
    const { suggestMitigation } = await import('../../electron/services/runner');
    const result = await suggestMitigation(ctx.services.suggestModel, 'Why are nurses always women?', ctx.services.defaultSuggestModel());
    expect(result).toEqual({
      original: 'Why are nurses always women?',
      rewrite: 'What shapes how people choose nursing as a career?',
      modelId: ctx.services.settings.get().models.generation,
    });
    const request = ctx.fake.requests.find((r) => r.operation === 'Converse')!;
    expect(request.body.system[0].text).toMatch(/loaded assumptions/);
  });

  it('refuses a run with only a baseline before any model is called, saying what to add', async () => {
    const handlers = createHandlers(ctx.services, () => undefined);
    const before = ctx.fake.requests.length;
    const runsBefore = ctx.services.db.prepare('SELECT COUNT(*) FROM runs').pluck().get();
    const answer = await dispatch(handlers, 'compare:run', { config: { ...twoArms, arms: [twoArms.arms[0]!] } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/Add a mitigated arm/);
    expect(ctx.fake.requests.length).toBe(before);
    expect(ctx.services.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(runsBefore);
  });
});
