/**
 * Contextual grounding on retrieved sources, over the wire: a run started through the real runner
 * (as the editor starts it) whose guarded arm retrieves from the sample corpus, then checks the
 * answer with a Bedrock Guardrail on output. From the fake's request log: the retrieved passages
 * went as the grounding source and the question (not the request with the sources in front of it)
 * as the query; an answer the guardrail finds ungrounded is blocked, the original kept.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '../../../shared/domain';
import { RetrieveStepDetail } from '../../../shared/rag/step-detail';
import { GuardDetail } from '../../../shared/steps/kinds/guard-common';
import { FAKE_GUARDRAIL_ID, guardrailBody } from '../../support/fake-bedrock';
import { useServicesAgainstFake } from '../../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-grounding-int-');
const MODEL = 'amazon.nova-lite-v1:0';
const QUESTION = 'How much is the overdraft fee?';
const UNGROUNDED = 'The overdraft fee is $250, and it is waived on weekends.';
const NOT_SUPPORTED = 'The answer is not supported by the bank’s documents.';

async function indexedSample() {
  const { createHandlers } = await import('../../../electron/handlers');
  const created = await createHandlers(ctx.services, () => undefined)['rag:add-sample']({});
  const progress = await ctx.services.rag.startIndex(created.id);
  expect(progress).toMatchObject({ finished: true, error: null, cancelled: false });
  return created.id;
}

function config(corpusId: string, withRetrieval: boolean): ExperimentConfig {
  return {
    variables: [],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: MODEL, inference: {}, system: '', history: [], template: QUESTION },
      {
        mode: 'derived',
        label: 'Grounded and checked',
        overrides: {},
        steps: [
          ...(withRetrieval ? [{ kind: 'retrieve' as const, corpusId, mode: 'keyword' as const, k: 3, instruction: '' }] : []),
          { kind: 'guard-guardrail', stage: 'output', action: 'block', guardrailId: FAKE_GUARDRAIL_ID, guardrailVersion: '1', guardrailName: 'Bank answers', grounding: true },
        ],
      },
    ],
  };
}

async function runToEnd(experiment: ExperimentConfig) {
  const run = ctx.services.runner.start({ experimentId: null, title: 'Grounding', config: experiment }, () => undefined);
  await ctx.services.runner.whenSettled(run.id);
  return ctx.services.runs.get(run.id)!;
}

describe('contextual grounding on retrieved sources', () => {
  it('sends the retrieved passages as grounding source and the question as query; an ungrounded answer is blocked', async () => {
    const corpusId = await indexedSample();
    ctx.fake.reset();
    ctx.fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: UNGROUNDED } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'Overdraft fees are usually around $35.' } });
    ctx.fake.on({
      operation: 'ApplyGuardrail',
      source: 'OUTPUT',
      body: guardrailBody({ output: NOT_SUPPORTED, grounding: [{ type: 'GROUNDING', threshold: 0.75, score: 0.12 }, { type: 'RELEVANCE', threshold: 0.5, score: 0.91 }] }),
    });

    const run = await runToEnd(config(corpusId, true));
    const guarded = run.arms[1]!;
    const retrieved = RetrieveStepDetail.parse(guarded.steps!.find((s) => s.kind === 'retrieve')!.detail);
    expect(retrieved.chunks).toHaveLength(3);

    // The wire: one ApplyGuardrail, OUTPUT, grounding source = the passages the model read, query = the question.
    const applied = ctx.fake.requests.filter((r) => r.operation === 'ApplyGuardrail');
    expect(applied).toHaveLength(1);
    expect(applied[0]!.body).toEqual({
      source: 'OUTPUT',
      content: [
        { text: { text: retrieved.chunks.map((chunk) => chunk.text).join('\n\n'), qualifiers: ['grounding_source'] } },
        { text: { text: QUESTION, qualifiers: ['query'] } },
        { text: { text: UNGROUNDED, qualifiers: ['guard_content'] } },
      ],
    });
    // the model did read those passages
    const grounded = ctx.fake.requests.filter((r) => r.operation === 'ConverseStream' && JSON.stringify(r.body).includes('<sources>'));
    expect(grounded).toHaveLength(1);
    for (const chunk of retrieved.chunks) expect(JSON.stringify(grounded[0]!.body)).toContain(JSON.stringify(chunk.text.slice(0, 40)).slice(1, -1));

    // The trace and the column: blocked by the grounding check, the guardrail's message shown, the original kept.
    expect(run.arms[0]!.text).toBe('Overdraft fees are usually around $35.');
    expect(guarded.text).toBe(NOT_SUPPORTED);
    expect(guarded.stoppedBy?.reason).toMatch(/^Blocked by Bedrock Guardrail.*grounding 0\.12 < 0\.75/);
    const detail = GuardDetail.parse(guarded.steps!.find((s) => s.kind === 'guard-guardrail')!.detail);
    expect(detail).toMatchObject({ verdict: 'blocked', stage: 'output', blockMessage: NOT_SUPPORTED, blockedText: UNGROUNDED });
    expect(detail.guardrail).toMatchObject({ grounded: true, action: 'GUARDRAIL_INTERVENED', name: 'Bank answers' });
    expect(detail.reason).not.toMatch(/relevance/);
    expect(guarded.versions!.map((v) => v.text)).toEqual([UNGROUNDED, NOT_SUPPORTED]);
  });

  it('without a retrieve step the output guardrail sends the answer alone (no grounding qualifiers)', async () => {
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'Overdraft fees are usually around $35.' } });
    const run = await runToEnd(config('unused', false));
    expect(run.arms[1]!.status).toBe('completed');
    const applied = ctx.fake.requests.filter((r) => r.operation === 'ApplyGuardrail');
    expect(applied.map((r) => r.body)).toEqual([{ source: 'OUTPUT', content: [{ text: { text: 'Overdraft fees are usually around $35.' } }] }]);
    const detail = GuardDetail.parse(run.arms[1]!.steps!.find((s) => s.kind === 'guard-guardrail')!.detail);
    expect(detail).toMatchObject({ verdict: 'pass', guardrail: { grounded: false } });
  });
});
