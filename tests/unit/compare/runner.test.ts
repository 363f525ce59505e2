/**
 * The runner under plain Node with a scripted model (no network): coalescing of deltas, cost
 * estimates, shutdown, validation; plus the technique repository (migration 0003).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArmConfig, ExperimentConfig } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { createRunner, runStatusOf, type RunnerStreamEvent, type RunSink, type StreamingModel } from '../../../electron/services/runner';
import { createRunRepo, createTechniqueRepo, openDb, type Db } from '../../../electron/services/store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-runner-'));
  db = openDb(join(dir, 'runner.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const arm = (label: string, modelId: string, template = 'Q') => ({ label, modelId, template });
/** The first arm is the baseline; the others are variants with their own model and prompt. */
const config = (...arms: ReturnType<typeof arm>[]): ExperimentConfig => ({
  variables: [],
  arms: arms.map(
    (a, index): ArmConfig =>
      index === 0
        ? { mode: 'baseline', ...a, inference: {}, system: '', history: [] }
        : { mode: 'detached', ...a, inference: {}, system: '', history: [], steps: [] },
  ),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A model that yields words at a fixed interval, then usage and done; honours the signal. */
function scripted(words: number, intervalMs: number, opts: { failAfter?: number; usage?: boolean } = {}): StreamingModel {
  return {
    async *converseStream(_input, options) {
      for (let i = 0; i < words; i += 1) {
        if (intervalMs > 0) await sleep(intervalMs);
        if (options?.signal?.aborted) throw new AppError('cancelled', 'Stopped.');
        if (opts.failAfter !== undefined && i === opts.failAfter) throw new AppError('bedrock', 'The model is throttled. Wait a minute.', 'ThrottlingException');
        yield { type: 'text', text: `w${i} ` } satisfies RunnerStreamEvent;
      }
      yield { type: 'stop', stopReason: 'end_turn' };
      if (opts.usage !== false) yield { type: 'usage', inputTokens: 1000, outputTokens: words, latencyMs: 1 };
    },
  };
}

function sink() {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const emit: RunSink = (event, payload) => events.push({ event, payload: payload as unknown as Record<string, unknown> });
  return { events, emit };
}

describe('the comparison runner (scripted model)', () => {
  it('estimates cost from the tokens a call used, and leaves it empty when tokens or price are unknown', async () => {
    const prices: Record<string, [number, number]> = { priced: [0.001, 0.002] };
    const runs = createRunRepo(db);
    const runner = createRunner({
      bedrock: { converseStream: (input, options) => scripted(4, 0, { usage: input.modelId !== 'no-usage' }).converseStream(input, options) },
      runs,
      estimateCost: (modelId, input, output) => {
        const price = prices[modelId];
        return price ? (input / 1000) * price[0] + (output / 1000) * price[1] : null;
      },
    });
    const { emit } = sink();
    const run = runner.start({ experimentId: null, title: 'Cost', config: config(arm('A', 'priced'), arm('B', 'unpriced'), arm('C', 'no-usage')) }, emit);
    await runner.whenSettled(run.id);
    const [a, b, c] = runs.get(run.id)!.arms;
    expect(a!.metrics.costUsd).toBeCloseTo(0.001 + 0.000008, 10);
    expect(a!.metrics.inputTokens).toBe(1000);
    expect(a!.metrics.outputTokens).toBe(4);
    expect(b!.metrics.costUsd).toBeNull();
    expect(c!.metrics.costUsd).toBeNull();
    expect(c!.metrics.outputTokens).toBeNull();
  });

  it('coalesces deltas: fewer events than chunks, same text, in order', async () => {
    const runs = createRunRepo(db);
    const runner = createRunner({ bedrock: scripted(200, 0), runs, deltaIntervalMs: 20 });
    const { events, emit } = sink();
    const run = runner.start({ experimentId: null, title: 'Fast', config: config(arm('A', 'a'), arm('B', 'b')) }, emit);
    await runner.whenSettled(run.id);
    for (const index of [0, 1]) {
      const deltas = events.filter((e) => e.event === 'run:delta' && e.payload.armIndex === index);
      expect(deltas.length).toBeLessThan(200);
      expect(deltas.map((d) => d.payload.text).join('')).toBe(Array.from({ length: 200 }, (_, i) => `w${i} `).join(''));
    }
    expect(events[0]!.event).toBe('run:started');
    expect(events.at(-1)).toEqual({ event: 'run:finished', payload: { runId: run.id, status: 'completed' } });
  });

  it('shutdown() saves partial text synchronously and marks open arms and runs interrupted', async () => {
    const runs = createRunRepo(db);
    const runner = createRunner({ bedrock: scripted(1000, 5), runs, saveIntervalMs: 10_000 });
    const { emit } = sink();
    const run = runner.start({ experimentId: null, title: 'Quit', config: config(arm('A', 'a'), arm('B', 'b')) }, emit);
    await sleep(60);
    runner.shutdown();
    const stored = runs.get(run.id)!;
    expect(stored.status).toBe('interrupted');
    for (const a of stored.arms) {
      expect(a.status).toBe('interrupted');
      expect(a.text).toMatch(/^w0 w1 /);
      expect(a.error?.message).toMatch(/closed while this arm was streaming/);
    }
    await sleep(30); // the aborted loops end without writing anything more
    expect(runs.get(run.id)!.arms[0]!.text).toBe(stored.arms[0]!.text);
    expect(() => runner.start({ experimentId: null, title: 'x', config: config(arm('A', 'a')) }, emit)).toThrow(/shutting down/);
  });

  it('refuses to start with an undefined variable or an empty prompt, and writes nothing', () => {
    const runs = createRunRepo(db);
    const runner = createRunner({ bedrock: scripted(1, 0), runs });
    const { events, emit } = sink();
    expect(() => runner.start({ experimentId: null, title: 'x', config: config(arm('A', 'a', 'Hi ${who}'), arm('B', 'b', ' ')) }, emit)).toThrow(
      /define \$\{who\}; write a prompt for B/,
    );
    expect(events).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 });
  });

  it('derives a run status from its arms', () => {
    expect(runStatusOf(['completed', 'completed'])).toBe('completed');
    expect(runStatusOf(['completed', 'failed'])).toBe('failed');
    expect(runStatusOf(['failed', 'cancelled'])).toBe('cancelled');
    expect(runStatusOf(['completed', 'interrupted'])).toBe('interrupted');
  });
});

describe('user techniques (migration 0003)', () => {
  it('lists shipped techniques first, saves, updates and deletes the user\'s own, and protects shipped ones', () => {
    const repo = createTechniqueRepo(db, () => 5);
    const shipped = repo.list().length;
    const saved = repo.save({ name: 'Cite sources', summary: 'Ask for sources', explanation: '', system: '', wrap: '{{prompt}}\nCite sources.' })!;
    expect(saved).toMatchObject({ name: 'Cite sources', builtIn: false });
    expect(repo.list()).toHaveLength(shipped + 1);
    repo.save({ id: saved.id, name: 'Cite your sources', summary: '', explanation: '', system: 'S', wrap: '{{prompt}}' });
    expect(repo.get(saved.id)).toMatchObject({ name: 'Cite your sources', system: 'S' });
    expect(repo.save({ id: 'bias-guard', name: 'Hijack', summary: '', explanation: '', system: '', wrap: '{{prompt}}' })).toBeUndefined();
    expect(repo.get('bias-guard')!.builtIn).toBe(true);
    expect(repo.delete(saved.id)).toBe(true);
    expect(repo.list()).toHaveLength(shipped);
    expect(() => db.prepare(`INSERT INTO techniques (id, name, wrap, created_at, updated_at) VALUES ('x', 'x', 'no slot', 1, 1)`).run()).toThrow(/CHECK/);
  });
});
