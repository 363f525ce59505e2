/**
 * The evaluation screen's channels over the real handler table, the fake Bedrock over the wire:
 * rag:evaluate reports progress as rag:eval-progress (the app's one event mechanism), returns the
 * table; rag:cancel-evaluation stops it; rag:export-evaluation writes the CSV and the HTML report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, type EmitEvent } from '../../../electron/handlers';
import type { EvalProgressEvent } from '../../../shared/contract/rag';
import { SAMPLE_QA_SET } from '../../../shared/rag/qa';
import { presetDialogs } from '../../support/preset-dialogs';
import { useServicesAgainstFake } from '../../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-rag-eval-channel-');
const tool = (name: string, input: unknown) => ({ reply: { toolUse: { name, input } } });

function setup() {
  const events: EvalProgressEvent[] = [];
  const emit: EmitEvent = (event, payload) => {
    if (event === 'rag:eval-progress') events.push(payload as EvalProgressEvent);
  };
  const dialogs = presetDialogs();
  const handlers = createHandlers({ ...ctx.services, dialogs: dialogs.dialogs }, emit);
  return { events, dialogs, handlers };
}

function judgesPass() {
  ctx.fake.on({ prompt: 'record_faithfulness', ...tool('record_faithfulness', { reasoning: 'Supported.', passed: true }) });
  ctx.fake.on({ prompt: 'record_relevancy', ...tool('record_relevancy', { reasoning: 'On topic.', passed: true }) });
  ctx.fake.on({ prompt: /record_correctness[\s\S]*MEMORY/, ...tool('record_correctness', { reasoning: 'Wrong figure.', score: 2 }) });
  ctx.fake.on({ prompt: 'record_correctness', ...tool('record_correctness', { reasoning: 'Matches.', score: 5 }) });
  ctx.fake.on({ prompt: 'record_guidelines', ...tool('record_guidelines', { results: [{ guideline: 'a', passed: true, feedback: '' }, { guideline: 'b', passed: true, feedback: '' }] }) });
}

describe('the evaluation channels', () => {
  it('evaluates two questions over two arms with progress events, then exports CSV and HTML', async () => {
    const { events, dialogs, handlers } = setup();
    const corpus = await handlers['rag:add-sample']({});
    ctx.fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: 'GROUNDED: $35 per item [1].' } });
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'MEMORY: about $30.' } });
    judgesPass();
    const items = SAMPLE_QA_SET.items.filter((item) => ['overdraft-fee', 'high-yield-withdrawals'].includes(item.id));
    const result = await handlers['rag:evaluate']({
      evaluationId: 'e1',
      corpusId: corpus.id,
      set: { ...SAMPLE_QA_SET, items },
      arms: [
        { label: 'Baseline (from memory)', steps: [] },
        { label: 'Grounded', steps: [{ kind: 'retrieve', corpusId: corpus.id, mode: 'keyword', k: 3, instruction: '' }] },
      ],
      judgeModelId: 'amazon.nova-pro-v1:0',
    });
    expect(result.rows.map((r) => [r.itemId, r.armLabel, r.answer])).toEqual([
      ['overdraft-fee', 'Baseline (from memory)', 'MEMORY: about $30.'],
      ['overdraft-fee', 'Grounded', 'GROUNDED: $35 per item [1].'],
      ['high-yield-withdrawals', 'Baseline (from memory)', 'MEMORY: about $30.'],
      ['high-yield-withdrawals', 'Grounded', 'GROUNDED: $35 per item [1].'],
    ]);
    expect(result.arms[1]!.deltas.correctness).toBe(3);
    expect(result.modelId).toBe(ctx.services.settings.get().models.generation);
    expect(events.every((e) => e.evaluationId === 'e1')).toBe(true);
    expect(events.map((e) => e.done)).toEqual([0, 1, 2, 3, 4, 4]);
    expect(events.at(-1)).toMatchObject({ finished: true, total: 4, cancelled: false, error: null });

    const csvPath = join(ctx.dir, 'eval.csv');
    dialogs.nextSave(csvPath);
    expect(await handlers['rag:export-evaluation']({ evaluationId: 'e1', format: 'csv' })).toEqual({ path: csvPath });
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^question id,kind,question,arm,answer/);
    expect(csv).toContain('overdraft-fee,answered in one place,');
    const htmlPath = join(ctx.dir, 'eval.html');
    dialogs.nextSave(htmlPath);
    await handlers['rag:export-evaluation']({ evaluationId: 'e1', format: 'html' });
    expect(readFileSync(htmlPath, 'utf8')).toContain('<h2>Averages per arm (delta against the baseline)</h2>');
    expect(dialogs.asked.map((a) => (a.options as { defaultName?: string }).defaultName)).toEqual(['AnyCompany Bank handbook questions evaluation.csv', 'AnyCompany Bank handbook questions evaluation.html']);
    // Cancelled dialog: nothing written, no error.
    expect(await handlers['rag:export-evaluation']({ evaluationId: 'e1', format: 'csv' })).toEqual({ path: null });
    await expect(handlers['rag:export-evaluation']({ evaluationId: 'nope', format: 'csv' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cancels a running evaluation: the call fails as cancelled and the last event says so', async () => {
    const { events, handlers } = setup();
    const corpus = await handlers['rag:add-sample']({});
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'A slow answer that never ends in time.' }, pace: { firstTokenMs: 3_000 } });
    judgesPass();
    const running = handlers['rag:evaluate']({
      evaluationId: 'e2',
      corpusId: corpus.id,
      set: SAMPLE_QA_SET,
      arms: [
        { label: 'Baseline (from memory)', steps: [] },
        { label: 'Grounded', steps: [{ kind: 'retrieve', corpusId: corpus.id, mode: 'keyword', k: 3, instruction: '' }] },
      ],
    });
    await expect.poll(() => ctx.fake.requests.filter((r) => r.operation === 'ConverseStream').length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await handlers['rag:cancel-evaluation']({ evaluationId: 'e2' })).toEqual({ cancelled: true });
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ evaluationId: 'e2', finished: true, cancelled: true, error: null, total: SAMPLE_QA_SET.items.length * 2 });
    expect(await handlers['rag:cancel-evaluation']({ evaluationId: 'e2' })).toEqual({ cancelled: false });
  });
});
