/** The question-set evaluation against the fake Bedrock over the wire: the table, the averages and deltas, CSV and HTML. */
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../electron/handlers';
import { evalHtml, evaluateQaSet } from '../../../electron/services/rag/evaluate';
import type { StepModels } from '../../../electron/services/steps/types';
import { evalCsv, SAMPLE_QA_SET, type EvalProgress } from '../../../shared/rag/qa';
import { useServicesAgainstFake } from '../../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-rag-eval-');
const tool = (name: string, input: unknown) => ({ reply: { toolUse: { name, input } } });

describe('evaluation over a question set', () => {
  it('runs every question through baseline, grounded and grounded-with-clarification, judges them and averages per arm with deltas', async () => {
    const corpus = await createHandlers(ctx.services, () => undefined)['rag:add-sample']({});
    expect((await ctx.services.rag.startIndex(corpus.id)).error).toBeNull();
    const items = ['overdraft-fee', 'ceo', 'everyday-month', 'vague-limit'].map((id) => SAMPLE_QA_SET.items.find((item) => item.id === id)!);
    const set = { ...SAMPLE_QA_SET, items };

    ctx.fake.on({ operation: 'Converse', prompt: /check whether a question can be answered[\s\S]*Question: What's the limit\?/, reply: { text: 'ASK: Which limit do you mean?' } });
    ctx.fake.on({ operation: 'Converse', prompt: /check whether a question can be answered/, reply: { text: 'CLEAR' } });
    ctx.fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: 'GROUNDED: from the handbook [1].' } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'MEMORY: banks usually charge about $30.' } });
    ctx.fake.on({ prompt: 'record_faithfulness', ...tool('record_faithfulness', { reasoning: 'Supported.', passed: true }) });
    ctx.fake.on({ prompt: /record_relevancy[\s\S]*MEMORY/, ...tool('record_relevancy', { reasoning: 'Generic.', passed: false }) });
    ctx.fake.on({ prompt: 'record_relevancy', ...tool('record_relevancy', { reasoning: 'On topic.', passed: true }) });
    ctx.fake.on({ prompt: /record_correctness[\s\S]*MEMORY/, ...tool('record_correctness', { reasoning: 'Wrong figure.', score: 2 }) });
    ctx.fake.on({ prompt: 'record_correctness', ...tool('record_correctness', { reasoning: 'Matches.', score: 4 }) });
    ctx.fake.on({ prompt: 'record_guidelines', ...tool('record_guidelines', { results: [{ guideline: 'only the handbook', passed: true, feedback: 'Yes.' }, { guideline: 'no invented rates', passed: true, feedback: 'Yes.' }] }) });

    const progress: EvalProgress[] = [];
    const retrieve = { kind: 'retrieve' as const, corpusId: corpus.id, mode: 'hybrid' as const, k: 4, instruction: '' };
    const result = await evaluateQaSet(
      {
        models: ctx.services.bedrock as unknown as StepModels,
        converse: (input, options) => ctx.services.bedrock.converse(input, options),
        corpora: ctx.services.rag,
        prompts: () => ({}),
      },
      {
        set,
        corpusName: corpus.name,
        arms: [
          { label: 'Baseline', steps: [] },
          { label: 'Grounded', steps: [retrieve] },
          { label: 'Grounded + clarify', steps: [retrieve, { kind: 'clarify' }] },
        ],
        modelId: 'amazon.nova-lite-v1:0',
        judgeModelId: 'amazon.nova-pro-v1:0',
        onProgress: (p) => progress.push(p),
      },
    );

    // The table: one row per question and arm.
    expect(result.rows).toHaveLength(12);
    expect(progress.at(-1)).toEqual({ done: 12, total: 12, finished: true, error: null });
    expect(progress.filter((p) => !p.finished).map((p) => p.done)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    const row = (id: string, arm: number) => result.rows.find((r) => r.itemId === id && r.armIndex === arm)!;
    expect(row('overdraft-fee', 0)).toMatchObject({ answer: 'MEMORY: banks usually charge about $30.', sources: [], scores: { faithfulness: null, relevancy: 0, correctness: 2, guidelines: 1, hitRate: null, mrr: null } });
    expect(row('overdraft-fee', 0).notes.join(' ')).toMatch(/no sources/);
    expect(row('overdraft-fee', 1)).toMatchObject({ answer: 'GROUNDED: from the handbook [1].', scores: { faithfulness: 1, relevancy: 1, correctness: 4, guidelines: 1 } });
    expect(row('overdraft-fee', 1).sources).toHaveLength(4);
    // Retrieval metrics only where an expected source is known; MRR from the rank of that file.
    expect(row('ceo', 1).scores.hitRate).toBeNull();
    const grounded = result.rows.filter((r) => r.armIndex === 1 && r.scores.hitRate !== null);
    expect(grounded.length).toBe(3);
    for (const r of grounded) {
      const expected = items.find((i) => i.id === r.itemId)!.expectedSource!;
      const rank = r.sources.indexOf(expected);
      expect(r.scores.hitRate).toBe(rank >= 0 ? 1 : 0);
      expect(r.scores.mrr).toBeCloseTo(rank >= 0 ? 1 / (rank + 1) : 0, 10);
    }
    // The clarify arm asked only the vague question, and answered with the item's clarification.
    expect(result.rows.filter((r) => r.asked).map((r) => [r.itemId, r.armIndex, r.asked])).toEqual([['vague-limit', 2, 'Which limit do you mean?']]);

    // Averages and deltas against the baseline.
    const [base, ground, clarify] = result.arms;
    expect(base!.averages).toMatchObject({ faithfulness: null, relevancy: 0, correctness: 2, guidelines: 1, hitRate: null, mrr: null });
    expect(ground!.averages).toMatchObject({ faithfulness: 1, relevancy: 1, correctness: 4, guidelines: 1 });
    expect(ground!.deltas).toMatchObject({ faithfulness: null, relevancy: 1, correctness: 2, guidelines: 0 });
    expect(ground!.averages.hitRate).toBeCloseTo(grounded.reduce((s, r) => s + r.scores.hitRate!, 0) / 3, 10);
    expect(clarify!.label).toBe('Grounded + clarify');
    expect(base!.deltas.relevancy).toBeNull();

    const csv = evalCsv(result);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('question id,kind,question,arm,answer,sources,clarifying question,Faithfulness,Relevancy,Correctness,Guidelines,Hit rate,MRR,notes');
    expect(lines).toHaveLength(1 + 12 + 1 + 1 + 3 + 1);
    expect(lines).toContain(`Grounded,1,,1,1,4,2,1,0,${[ground!.averages.hitRate, ground!.deltas.hitRate].map((v) => (v === null ? '' : String(Math.round(v * 1000) / 1000))).join(',')},${[ground!.averages.mrr, ground!.deltas.mrr].map((v) => (v === null ? '' : String(Math.round(v * 1000) / 1000))).join(',')}`);
    const html = evalHtml(result);
    expect(html).toContain('<h2>Averages per arm (delta against the baseline)</h2>');
    expect(html).toContain('What&#39;s the limit?');
    expect(html).not.toContain("What's the limit?");
  });
});
