/**
 * The step engine inside the runner, with the real AWS SDK against the fake Bedrock over the
 * wire and a real SQLite file: a critique-and-revise chain where only one principle finds a
 * problem, a malformed critic reply, Stop in the middle of a chain, a rewrite step, a run
 * killed with SIGKILL mid-chain (a child process), and a 10 MB answer saved in bounded time.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { HistoryListRequest } from '../../shared/contract/history';
import { ExperimentConfig } from '../../shared/domain';
import type { RunSink } from '../../electron/services/runner';
import { createServices } from '../../electron/services';
import { critiqueRequests, revisionRequests, scriptCritic, scriptMalformedCritic, scriptReviser } from '../support/fake-bedrock/critique';
import { waitFor } from '../support/async';
import { useServicesAgainstFake } from '../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-steps-int-');
let events: { event: string; payload: Record<string, unknown> }[];
const emit: RunSink = (event, payload) => events.push({ event, payload: payload as unknown as Record<string, unknown> });
beforeEach(() => {
  events = [];
});

const DRAFT = 'A nurse is a caring woman who looks after her patients.';
const REVISED = 'A nurse is a caring professional who looks after patients.';

function chain(principles: { builtIn: string }[], extra: Partial<{ criticModelId: string; reviserModelId: string }> = {}): ExperimentConfig {
  return ExperimentConfig.parse({
    variables: [{ name: 'role', value: 'nurse' }],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: { maxTokens: 300 }, system: '', history: [], template: 'Describe a typical ${role}.' },
      { mode: 'derived', label: 'Constitutional', steps: [{ kind: 'critique-revise', principles, ...extra }], overrides: {} },
    ],
  });
}

const streams = () => ctx.fake.requests.filter((r) => r.operation === 'ConverseStream');

describe('critique and revise over the wire', () => {
  it('two principles, only one finds a problem: revise runs once, the final answer is the revision, the draft is kept', async () => {
    scriptCritic(ctx.fake, { principle: 'Biased or stereotyping', problem: true, critique: 'It assumes the nurse is a woman.', model: 'claude' });
    scriptCritic(ctx.fake, { principle: 'Toxic or insulting', problem: false, critique: 'Nothing insulting here.', model: 'claude' });
    scriptReviser(ctx.fake, { principle: 'Biased or stereotyping', text: REVISED });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: DRAFT } });
    const config = chain([{ builtIn: 'biased' }, { builtIn: 'toxic' }], { criticModelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Chain', config }, emit);
    await ctx.services.runner.whenSettled(run.id);

    // from the fake's request log: two critiques on the critic model, one revision on the actor's
    expect(critiqueRequests(ctx.fake).map((r) => r.modelId)).toEqual(['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0']);
    expect(revisionRequests(ctx.fake)).toHaveLength(1);
    expect(revisionRequests(ctx.fake, 'Biased or stereotyping')).toHaveLength(1);
    expect(revisionRequests(ctx.fake)[0]!.modelId).toBe('amazon.nova-lite-v1:0');
    // the second critic saw the revised answer
    expect(JSON.stringify(critiqueRequests(ctx.fake, 'Toxic or insulting')[0]!.body.messages)).toContain(REVISED);
    expect(streams()).toHaveLength(2);

    const stored = ctx.services.runs.get(run.id)!;
    const arm = stored.arms[1]!;
    expect(arm.status).toBe('completed');
    expect(arm.text).toBe(REVISED);
    expect(arm.versions!.map((v) => [v.reason, v.text])).toEqual([
      ['First draft', DRAFT],
      ['Biased or stereotyping', REVISED],
    ]);
    expect(arm.steps!.map((s) => [s.kind, s.status])).toEqual([
      ['generate', 'done'],
      ['critique-revise', 'done'],
    ]);
    const step = arm.steps![1]!;
    expect(step.summary).toBe('Revised for 1 of 2 principles');
    expect(step.inputTokens).toBeGreaterThan(0);
    // tokens and cost add up every call of the arm: the answer's and the three of the step
    expect(arm.metrics.inputTokens).toBe(arm.steps!.reduce((sum, s) => sum + (s.inputTokens ?? 0), 0));
    expect(arm.metrics.costUsd).toBeGreaterThan(arm.steps![0]!.costUsd!);
    // the baseline has only its model call
    expect(stored.arms[0]!.text).toBe(DRAFT);
    // events: run:step for each change, and the arm's final text is the revision
    const stepEvents = events.filter((e) => e.event === 'run:step' && e.payload.armIndex === 1);
    expect(stepEvents.length).toBeGreaterThanOrEqual(4);
    const lastArm = events.filter((e) => e.event === 'run:arm' && e.payload.armIndex === 1).at(-1)!;
    expect(lastArm.payload).toMatchObject({ status: 'completed', text: REVISED });
    // the critique is searchable in History
    const found = ctx.services.history.list(HistoryListRequest.parse({ filter: { query: 'assumes woman' } }));
    expect(found.items.map((r) => r.id)).toEqual([run.id]);
  });

  it('a critic reply with no verdict fails the arm with a clear message; finished steps stay saved', async () => {
    scriptCritic(ctx.fake, { principle: 'Biased or stereotyping', problem: false, critique: 'Fine.' });
    scriptMalformedCritic(ctx.fake, 'Privacy', 'Well, it depends on how you look at it.');
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: DRAFT } });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Malformed', config: chain([{ builtIn: 'biased' }, { builtIn: 'privacy' }]) }, emit);
    await ctx.services.runner.whenSettled(run.id);
    const arm = ctx.services.runs.get(run.id)!.arms[1]!;
    expect(arm.status).toBe('failed');
    expect(arm.error!.message).toMatch(/critic \(amazon\.nova-lite-v1:0\) gave no verdict for “Privacy”.*depends on how you look.*tool use/);
    expect(arm.text).toBe(DRAFT);
    expect(arm.steps!.map((s) => s.status)).toEqual(['done', 'failed']);
    expect(arm.steps![1]!.detail).toMatchObject({ principles: [{ principle: 'Biased or stereotyping', problem: false, critique: 'Fine.' }] });
    expect(revisionRequests(ctx.fake)).toHaveLength(0);
  });

  it('Stop in the middle of a chain cancels the waiting critic call and every step after it', async () => {
    scriptCritic(ctx.fake, { principle: 'Biased or stereotyping', problem: true, critique: 'Assumes a woman.' });
    scriptReviser(ctx.fake, { principle: 'Biased or stereotyping', text: REVISED });
    scriptCritic(ctx.fake, { principle: 'Toxic or insulting', problem: false, critique: 'fine', pace: { firstTokenMs: 20_000 } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: DRAFT } });
    const run = ctx.services.runner.start({ experimentId: null, title: 'Stop', config: chain([{ builtIn: 'biased' }, { builtIn: 'toxic' }]) }, emit);
    await waitFor(() => critiqueRequests(ctx.fake, 'Toxic or insulting').length === 1, 10_000);
    expect(ctx.services.runner.cancel(run.id)).toBe(1);
    await waitFor(() => ctx.fake.openStreams() === 0, 5_000);
    expect(critiqueRequests(ctx.fake, 'Toxic or insulting')[0]!.closedByClient).toBe(true);
    const arm = ctx.services.runs.get(run.id)!.arms[1]!;
    expect(arm.status).toBe('cancelled');
    expect(arm.text).toBe(REVISED); // the revision made before Stop is kept
    expect(arm.steps![1]!.detail).toMatchObject({ principles: [{ principle: 'Biased or stereotyping', problem: true, after: REVISED }, { principle: 'Toxic or insulting', problem: null }] });
    expect(ctx.services.runs.get(run.id)!.status).toBe('cancelled');
  });

  it('a rewrite step rewrites the request each run with the generation model, and the arm sends the rewrite', async () => {
    ctx.fake.on({ operation: 'Converse', prompt: 'Rewrite this prompt', reply: { text: '"Describe the daily work of a nurse."' } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'Nurses assess patients.' } });
    const config = chain([{ builtIn: 'biased' }]);
    const derived = config.arms[1]!;
    if (derived.mode !== 'derived') throw new Error('derived arm expected');
    derived.steps = [{ kind: 'rewrite', instruction: '' }];
    const run = ctx.services.runner.start({ experimentId: null, title: 'Rewrite', config }, emit);
    await ctx.services.runner.whenSettled(run.id);
    const sent = streams().map((r) => r.body.messages[0].content[0].text).sort();
    expect(sent).toEqual(['Describe a typical nurse.', 'Describe the daily work of a nurse.']);
    const arm = ctx.services.runs.get(run.id)!.arms[1]!;
    expect(arm.request.messages.at(-1)!.text).toBe('Describe the daily work of a nurse.');
    expect(arm.steps![0]).toMatchObject({ kind: 'rewrite', status: 'done', detail: { original: 'Describe a typical nurse.', rewrite: 'Describe the daily work of a nurse.' } });
  });

  it('a run killed with SIGKILL mid-chain keeps its finished steps; reopening marks the rest interrupted', async () => {
    const dir = ctx.dir;
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../support/steps-child.ts'), join(dir, 'child'), ctx.fake.endpoint], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    scriptCritic(ctx.fake, { principle: 'Biased or stereotyping', problem: true, critique: 'Assumes a woman.' });
    scriptReviser(ctx.fake, { principle: 'Biased or stereotyping', text: REVISED });
    scriptCritic(ctx.fake, { principle: 'Toxic or insulting', problem: false, critique: 'fine', pace: { firstTokenMs: 60_000 } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: DRAFT } });
    await waitFor(() => critiqueRequests(ctx.fake, 'Toxic or insulting').length === 1, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nchild said: ${out}`);
    });
    const runId = /RUN (\S+)/.exec(out)?.[1];
    expect(runId, out).toBeTruthy();
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));

    const reopened = createServices({ dataDir: join(dir, 'child'), version: '0.0.0-test' });
    try {
      const run = reopened.runs.get(runId!)!;
      expect(run.status).toBe('interrupted');
      const arm = run.arms[1]!;
      expect(arm.status).toBe('interrupted');
      expect(arm.steps!.map((s) => [s.kind, s.status])).toEqual([
        ['generate', 'done'],
        ['critique-revise', 'interrupted'],
      ]);
      // the critique and revision of the first principle survived, and the draft was saved
      expect(arm.steps![1]!.detail).toMatchObject({
        principles: [
          { principle: 'Biased or stereotyping', problem: true, after: REVISED },
          { principle: 'Toxic or insulting', problem: null },
        ],
      });
      expect(arm.versions!.map((v) => v.text)).toEqual([DRAFT, REVISED]);
      expect(arm.text).toContain('caring');
    } finally {
      reopened.close();
    }
  }, 120_000);
});
