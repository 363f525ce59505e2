/**
 * The step engine under plain Node with a scripted model: order of the pipeline, request steps
 * changing what is sent, critique and revise only where the critic finds a problem, tokens and
 * cost adding up, ask(), a step that stops the arm, Stop, a malformed critic reply.
 */
import { describe, expect, it } from 'vitest';
import { runArm, type RunArmInput } from '../../../electron/services/steps/engine';
import { stepRunner } from '../../../electron/services/steps/registry';
import type { ModelCallInput, ModelStreamEvent, StepModels, StepRunner } from '../../../electron/services/steps/types';
import type { StepConfig } from '../../../shared/steps/registry';
import type { StepTrace } from '../../../shared/steps/trace';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';

interface Call {
  kind: 'converse' | 'stream';
  input: ModelCallInput;
}

/** A model that answers by the first rule whose test matches the call's text. */
function scriptedModels(rules: { when: (text: string, input: ModelCallInput) => boolean; text?: string; toolInput?: unknown; delayMs?: number }[]) {
  const calls: Call[] = [];
  const find = (input: ModelCallInput) => {
    const text = [input.system ?? '', ...input.messages.map((m) => m.text)].join('\n');
    const rule = rules.find((r) => r.when(text, input));
    if (!rule) throw new Error(`no scripted reply for: ${text.slice(0, 200)}`);
    return rule;
  };
  const wait = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(Object.assign(new Error('aborted'), { code: 'cancelled' }));
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('aborted'), { code: 'cancelled' }));
      });
    });
  const models: StepModels = {
    async converse(input, { signal }) {
      calls.push({ kind: 'converse', input });
      const rule = find(input);
      await wait(rule.delayMs ?? 0, signal);
      return { text: rule.text ?? '', toolInput: rule.toolInput, stopReason: 'end_turn', metrics: { inputTokens: 10, outputTokens: 5 } };
    },
    async *converseStream(input, { signal }): AsyncIterable<ModelStreamEvent> {
      calls.push({ kind: 'stream', input });
      const rule = find(input);
      for (const word of (rule.text ?? '').split(/(?<= )/)) {
        await wait(rule.delayMs ?? 0, signal);
        yield { type: 'text', text: word };
      }
      yield { type: 'stop', stopReason: 'end_turn' };
      yield { type: 'usage', inputTokens: 100, outputTokens: 50 };
    },
  };
  return { models, calls };
}

const env = { techniques: BUILT_IN_TECHNIQUES, defaultModelId: 'rewriter-model', variables: new Map([['role', 'nurse']]) };
const request = { modelId: 'actor-model', system: '', messages: [{ role: 'user' as const, text: 'Describe a typical nurse.' }], inference: { maxTokens: 300 } };

function baseInput(models: StepModels, steps: StepConfig[], extra: Partial<RunArmInput> = {}) {
  const traces: StepTrace[] = [];
  const texts: string[] = [];
  const input: RunArmInput = {
    runId: 'run-1',
    armIndex: 1,
    request,
    steps,
    env,
    models,
    signal: new AbortController().signal,
    hooks: {
      onStep: (trace) => traces.push(trace),
      onText: (text) => texts.push(text),
      ask: async () => 'an answer',
      estimateCost: (_model, i, o) => (i + o) / 1000,
    },
    ...extra,
  };
  return { input, traces, texts };
}

const technique = BUILT_IN_TECHNIQUES.find((t) => t.system !== '')!;
const critic = (problem: boolean, critique: string) => ({ problem, critique });

describe('the step engine', () => {
  it('runs request steps, the model, then critique and revise only where the critic finds a problem', async () => {
    const { models, calls } = scriptedModels([
      { when: (t) => t.includes('Rewrite this prompt'), text: '"Describe the work of a nurse."' },
      { when: (t) => t.includes('Principle: Biased or stereotyping') && !t.includes('Revision request'), toolInput: critic(true, 'Assumes the nurse is a woman.') },
      { when: (t) => t.includes('Principle: Toxic'), toolInput: critic(false, 'Nothing insulting.') },
      { when: (t) => t.includes('Revision request'), text: 'A nurse, of any gender, cares for patients.' },
      { when: (_t, i) => i.modelId === 'actor-model', text: 'She cares for patients. ' },
    ]);
    const steps: StepConfig[] = [
      { kind: 'critique-revise', principles: [{ builtIn: 'biased' }, { builtIn: 'toxic' }], criticModelId: 'critic-model' },
      { kind: 'technique', techniqueId: technique.id },
      { kind: 'rewrite', instruction: '' },
    ];
    const { input, traces, texts } = baseInput(models, steps);
    const outcome = await runArm(input);

    expect(outcome.status).toBe('completed');
    const final = outcome.traces;
    expect(final.map((t) => t.kind)).toEqual(['technique', 'rewrite', 'generate', 'critique-revise']);
    expect(final.every((t) => t.status === 'done')).toBe(true);
    // the request steps changed what the actor received
    const actorCall = calls.find((c) => c.kind === 'stream')!;
    expect(actorCall.input.system).toContain(technique.system.trim());
    expect(actorCall.input.messages.at(-1)!.text).toBe('Describe the work of a nurse.');
    expect(texts.join('')).toBe('She cares for patients. ');
    // critic ran twice on the critic model, the reviser once on the actor's model
    const criticCalls = calls.filter((c) => c.input.tool?.name === 'record_critique');
    expect(criticCalls.map((c) => c.input.modelId)).toEqual(['critic-model', 'critic-model']);
    const reviserCalls = calls.filter((c) => c.input.messages[0]!.text.includes('Revision request'));
    expect(reviserCalls).toHaveLength(1);
    expect(reviserCalls[0]!.input.modelId).toBe('actor-model');
    // the toxic critic saw the revised answer
    expect(criticCalls[1]!.input.messages[0]!.text).toContain('A nurse, of any gender');
    expect(outcome.answer).toBe('A nurse, of any gender, cares for patients.');
    expect(outcome.versions.map((v) => v.reason)).toEqual(['First draft', 'Biased or stereotyping']);
    expect(outcome.versions[0]!.text).toBe('She cares for patients. ');
    const cr = final[3]!;
    expect(cr.summary).toBe('Revised for 1 of 2 principles');
    expect(cr.detail).toMatchObject({ principles: [{ principle: 'Biased or stereotyping', problem: true }, { principle: 'Toxic or insulting', problem: false, after: null }] });
    // tokens and cost: rewrite 1 call, generate 1 stream, critique-revise 3 calls
    expect(final[1]!.inputTokens).toBe(10);
    expect(final[2]!.inputTokens).toBe(100);
    expect(cr.inputTokens).toBe(30);
    expect(cr.outputTokens).toBe(15);
    expect(outcome.totals).toEqual({ inputTokens: 140, outputTokens: 70, costUsd: expect.closeTo(0.21, 6) });
    // every step was reported running before done
    for (const index of [0, 1, 2, 3]) {
      const statuses = traces.filter((t) => t.index === index).map((t) => t.status);
      expect(statuses[0]).toBe('pending');
      expect(statuses).toContain('running');
      expect(statuses.at(-1)).toBe('done');
    }
  });

  it('fails the arm with a clear message on a critic reply without a verdict, keeping what was done', async () => {
    const { models } = scriptedModels([
      { when: (t) => t.includes('Principle: Biased'), toolInput: critic(false, 'Fine.') },
      { when: (t) => t.includes('Principle: Privacy'), text: 'I think it is mostly fine, maybe.' },
      { when: () => true, text: 'Draft answer.' },
    ]);
    const { input } = baseInput(models, [
      { kind: 'critique-revise', principles: [{ builtIn: 'biased' }, { builtIn: 'privacy' }, { builtIn: 'toxic' }] },
      { kind: 'critique-revise', principles: [{ builtIn: 'harmful' }] },
    ]);
    const outcome = await runArm(input);
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.message).toMatch(/critic \(actor-model\) gave no verdict for “Privacy”.*tool use/);
    expect(outcome.traces[0]!.status).toBe('done');
    expect(outcome.traces[1]!.status).toBe('failed');
    expect(outcome.traces[1]!.detail).toMatchObject({ principles: [{ principle: 'Biased or stereotyping', problem: false }] });
    expect(outcome.traces[2]!.status).toBe('skipped');
    expect(outcome.answer).toBe('Draft answer.');
  });

  it('ask() shows a question, waits for the answer and goes on with it', async () => {
    const { models, calls } = scriptedModels([{ when: () => true, text: 'ok' }]);
    const asked: { stepIndex: number; question: string }[] = [];
    let release!: (answer: string) => void;
    const clarify: StepRunner = {
      kind: 'specify',
      label: () => 'Clarify',
      async run(_config, ctx) {
        const reply = await ctx.ask('Which country?');
        ctx.request = { ...ctx.request, messages: [{ role: 'user', text: `${ctx.request.messages[0]!.text} In ${reply}.` }] };
        return { status: 'done', summary: `Answered: ${reply}` };
      },
    };
    const { input, traces } = baseInput(models, [{ kind: 'specify', details: 'x' }], {
      runnerOf: () => clarify,
      hooks: {
        onStep: (trace) => traces.push(trace),
        onText: () => undefined,
        ask: (stepIndex, question) => {
          asked.push({ stepIndex, question });
          return new Promise((resolve) => (release = resolve));
        },
      },
    });
    const running = runArm(input);
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toEqual({ stepIndex: 0, question: 'Which country?' });
    expect(traces.at(-1)).toMatchObject({ index: 0, status: 'waiting', detail: { question: 'Which country?' } });
    expect(calls).toHaveLength(0);
    release('Kenya');
    const outcome = await running;
    expect(outcome.status).toBe('completed');
    expect(calls[0]!.input.messages[0]!.text).toBe('Describe a typical nurse. In Kenya.');
    expect(outcome.traces[0]).toMatchObject({ status: 'done', summary: 'Answered: Kenya', detail: { question: 'Which country?', reply: 'Kenya' } });
  });

  it('a step that stops the arm ends it with its reason; later steps do not run', async () => {
    const { models, calls } = scriptedModels([{ when: () => true, text: 'ok' }]);
    const guard: StepRunner = {
      kind: 'specify',
      label: () => 'Input check',
      run: async () => ({ status: 'stopped', reason: 'Blocked: the request asks for a weapon', replaceAnswer: 'I cannot help with that.' }),
    };
    const { input } = baseInput(models, [{ kind: 'specify', details: 'x' }, { kind: 'technique', techniqueId: technique.id }], {
      runnerOf: (kind) => (kind === 'specify' ? guard : stepRunner(kind)),
    });
    const outcome = await runArm(input);
    expect(outcome.status).toBe('stopped');
    expect(outcome.stoppedBy).toEqual({ stepIndex: 0, label: 'Input check', reason: 'Blocked: the request asks for a weapon' });
    expect(outcome.answer).toBe('I cannot help with that.');
    expect(outcome.traces.map((t) => t.status)).toEqual(['stopped', 'skipped', 'skipped']);
    expect(calls).toHaveLength(0);
    expect(outcome.request).toBeNull();
  });

  it('Stop in the middle of a chain cancels the running call and every step after it', async () => {
    const { models, calls } = scriptedModels([
      { when: (t) => t.includes('Principle:'), toolInput: critic(false, 'fine'), delayMs: 5_000 },
      { when: () => true, text: 'Draft.' },
    ]);
    const controller = new AbortController();
    const { input } = baseInput(models, [{ kind: 'critique-revise', principles: [{ builtIn: 'biased' }] }, { kind: 'critique-revise', principles: [{ builtIn: 'toxic' }] }], {
      signal: controller.signal,
    });
    const running = runArm(input);
    await expect.poll(() => calls.length).toBe(2);
    const started = performance.now();
    controller.abort();
    const outcome = await running;
    expect(performance.now() - started).toBeLessThan(500);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.traces.map((t) => t.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(outcome.answer).toBe('Draft.');
  });

  it('a technique that is no longer in the library fails its step with what to do', async () => {
    const { models } = scriptedModels([{ when: () => true, text: 'ok' }]);
    const { input } = baseInput(models, [{ kind: 'technique', techniqueId: 'gone' }]);
    const outcome = await runArm(input);
    expect(outcome.status).toBe('failed');
    expect(outcome.error!.message).toMatch(/not in your library.*Pick another/);
  });
});
