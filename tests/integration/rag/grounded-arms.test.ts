/**
 * Baseline (from memory) vs grounded vs grounded with clarification, against the fake Bedrock over
 * the wire (embeddings included): the engine runs the three arms at once with the real step
 * runners, the sample corpus indexed through the real SDK, and the clarification turn answered.
 */
import { describe, expect, it } from 'vitest';
import { runArm } from '../../../electron/services/steps/engine';
import type { EngineHooks, StepEnv, StepModels } from '../../../electron/services/steps/types';
import { ClarifyStepDetail, RetrieveStepDetail } from '../../../shared/rag/step-detail';
import type { StepConfig } from '../../../shared/steps/registry';
import type { StepTrace } from '../../../shared/steps/trace';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import { useServicesAgainstFake } from '../../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-rag-arms-');
const MODEL = 'amazon.nova-lite-v1:0';

async function indexedSample() {
  const corpus = ctx.services.rag.list().find((c) => c.name === 'AnyCompany Bank handbook');
  if (corpus) return corpus;
  const { createHandlers } = await import('../../../electron/handlers');
  const created = await createHandlers(ctx.services, () => undefined)['rag:add-sample']({});
  const progress = await ctx.services.rag.startIndex(created.id);
  expect(progress).toMatchObject({ finished: true, error: null, cancelled: false });
  return ctx.services.rag.detail(created.id).corpus;
}

function arm(index: number, question: string, steps: StepConfig[], answer?: (q: string) => string) {
  const traces = new Map<number, StepTrace>();
  const asked: string[] = [];
  const hooks: EngineHooks = {
    onStep: (trace) => traces.set(trace.index, trace),
    onText: () => undefined,
    ask: async (_stepIndex, q) => {
      asked.push(q);
      if (!answer) throw new Error('this arm was not expected to ask');
      return answer(q);
    },
  };
  const env: StepEnv = { techniques: BUILT_IN_TECHNIQUES, defaultModelId: MODEL, variables: new Map(), corpora: ctx.services.rag };
  const models = ctx.services.bedrock as unknown as StepModels;
  const done = runArm({ runId: 'run-rag', armIndex: index, request: { modelId: MODEL, system: '', messages: [{ role: 'user', text: question }], inference: { maxTokens: 400 } }, steps, env, models, hooks, signal: new AbortController().signal });
  return { done, traces, asked };
}

describe('grounded arms against the fake', () => {
  it('runs baseline, grounded and grounded-with-clarification; the vague question is asked once and retrieved again with the answer', async () => {
    const corpus = await indexedSample();
    ctx.fake.reset();
    // The clarify decision: the vague question needs a follow-up question.
    ctx.fake.on({ operation: 'Converse', prompt: /check whether a question can be answered/, reply: { text: 'ASK: Which limit do you mean: AnyPay transfers, mobile check deposits, ATM withdrawals or card purchases?' } });
    // The grounded answer once the sources are in: cites [1].
    ctx.fake.on({ operation: 'ConverseStream', prompt: /Clarification — asked/, reply: { text: 'Mobile check deposits are limited to $5,000 per day and $20,000 per rolling 30 days [1].' } });
    ctx.fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: 'The sources list several limits; I don’t know which one you mean [1][2].' } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'Most banks limit transfers to around $1,000 a day.' } });

    const question = "What's the limit?";
    const retrieve: StepConfig = { kind: 'retrieve', corpusId: corpus.id, mode: 'hybrid', k: 4, instruction: '' };
    const baseline = arm(0, question, []);
    const grounded = arm(1, question, [retrieve]);
    const clarified = arm(2, question, [retrieve, { kind: 'clarify' }], () => 'The daily limit for mobile check deposits on my Everyday Checking account.');
    const [a, b, c] = await Promise.all([baseline.done, grounded.done, clarified.done]);

    expect(a).toMatchObject({ status: 'completed', answer: 'Most banks limit transfers to around $1,000 a day.' });
    expect(b).toMatchObject({ status: 'completed', answer: expect.stringContaining('I don’t know which one you mean') });
    expect(c).toMatchObject({ status: 'completed', answer: expect.stringMatching(/\$5,000 per day .*\[1\]/) });

    // The grounded request: the instruction in the system prompt, numbered sources before the question.
    expect(b.request!.system).toMatch(/Answer the question using only the numbered sources.*cite.*\[1\].*don’t know/i);
    expect(b.request!.messages.at(-1)!.text).toMatch(/^<sources>\n\[1\] .+\n[\s\S]*\[4\] [\s\S]*<\/sources>\n\nQuestion: What's the limit\?$/);
    const retrieved = RetrieveStepDetail.parse(b.traces.find((t) => t.kind === 'retrieve')!.detail);
    expect(retrieved).toMatchObject({ corpusName: 'AnyCompany Bank handbook', mode: 'hybrid', k: 4, question });
    expect(retrieved.chunks).toHaveLength(4);

    // Clarification: asked once, in the column; the second retrieval used the answer and found the deposit limits.
    expect(baseline.asked).toEqual([]);
    expect(grounded.asked).toEqual([]);
    expect(clarified.asked).toEqual(['Which limit do you mean: AnyPay transfers, mobile check deposits, ATM withdrawals or card purchases?']);
    const clarifyTrace = [...clarified.traces.values()].find((t) => t.kind === 'clarify')!;
    expect(clarifyTrace.status).toBe('done');
    const detail = ClarifyStepDetail.parse(clarifyTrace.detail);
    expect(detail).toMatchObject({ decision: 'ask', reply: 'The daily limit for mobile check deposits on my Everyday Checking account.' });
    expect(detail.retrieval!.question).toMatch(/Clarification — asked: Which limit .* Answer: The daily limit for mobile check deposits/);
    expect(detail.retrieval!.chunks.some((chunk) => /mobile check deposit/i.test(chunk.text) && chunk.documentName === '05-digital-banking.txt')).toBe(true);
    expect(c.request!.messages.at(-1)!.text).toContain('Answer: The daily limit for mobile check deposits');

    // From the fake's log: the baseline sent no sources; three streamed answers and one decision call.
    const streams = ctx.fake.requests.filter((r) => r.operation === 'ConverseStream');
    expect(streams).toHaveLength(3);
    expect(streams.filter((r) => JSON.stringify(r.body).includes('<sources>'))).toHaveLength(2);
    expect(ctx.fake.requests.filter((r) => r.operation === 'Converse')).toHaveLength(1);
    // Question embeddings: grounded once, clarified twice (before and after the answer).
    expect(ctx.fake.requests.filter((r) => r.operation === 'InvokeModel')).toHaveLength(3);
    // Tokens add up the decision call and the answer on the clarified arm.
    expect(c.totals.inputTokens).toBeGreaterThan(b.totals.inputTokens ?? 0);
  });

  it('a clarify step skips when the sources settle the question, and fails clearly without a retrieve step', async () => {
    const corpus = await indexedSample();
    ctx.fake.reset();
    ctx.fake.on({ operation: 'Converse', prompt: /check whether a question can be answered/, reply: { text: 'CLEAR' } });
    const clear = arm(0, 'How much is the overdraft fee?', [{ kind: 'retrieve', corpusId: corpus.id, mode: 'keyword', k: 3, instruction: '' }, { kind: 'clarify' }]);
    const outcome = await clear.done;
    expect(outcome.status).toBe('completed');
    expect([...clear.traces.values()].find((t) => t.kind === 'clarify')).toMatchObject({ status: 'skipped' });
    expect(clear.asked).toEqual([]);
    const retrieved = RetrieveStepDetail.parse([...clear.traces.values()].find((t) => t.kind === 'retrieve')!.detail);
    expect(retrieved.chunks[0]!.documentName).toBe('03-fee-schedule.pdf');

    const alone = await arm(1, 'Anything?', [{ kind: 'clarify' }]).done;
    expect(alone.status).toBe('failed');
    expect(alone.error?.message).toMatch(/needs a “Retrieve sources” step before it/);
  });
});
