/** Corpora against the fake Bedrock over the wire: the sample corpus indexed, cancelled and finished; retrieval modes. */
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../electron/handlers';
import type { IndexProgress } from '../../../shared/rag/types';
import { useServicesAgainstFake } from '../../support/services-against-fake';

const ctx = useServicesAgainstFake('parallax-rag-int-');

function handlers() {
  const events: { event: string; payload: unknown }[] = [];
  const table = createHandlers(ctx.services, (event, payload) => events.push({ event, payload }));
  return { table, events };
}

const embedCalls = () => ctx.fake.requests.filter((r) => r.operation === 'InvokeModel' && /titan-embed/.test(r.modelId ?? '')).length;

describe('the sample corpus against the fake', () => {
  it('adds every shipped file (the PDF with its pages), indexes with progress, and retrieves semantically', async () => {
    const { table, events } = handlers();
    const corpus = await table['rag:add-sample']({});
    const detail = await table['rag:get']({ corpusId: corpus.id });
    expect(detail.documents.map((d) => d.name)).toContain('03-fee-schedule.pdf');
    expect(detail.documents.find((d) => d.name === '03-fee-schedule.pdf')!.pages).toBe(3);
    expect(detail.documents.length).toBeGreaterThanOrEqual(8);
    expect(detail.corpus).toMatchObject({ embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 1024, chunkTokens: 512, chunkOverlap: 102, embeddedCount: 0 });

    await table['rag:index']({ corpusId: corpus.id });
    await expect.poll(() => ctx.services.rag.detail(corpus.id).corpus.embeddedCount, { timeout: 20_000 }).toBe(detail.corpus.chunkCount);
    const progress = events.filter((e) => e.event === 'rag:progress').map((e) => e.payload as IndexProgress);
    expect(progress.at(-1)).toMatchObject({ finished: true, cancelled: false, error: null, done: detail.corpus.chunkCount, total: detail.corpus.chunkCount });
    expect(progress.some((p) => !p.finished && p.done > 0 && p.ratePerSecond !== null && p.etaSeconds !== null)).toBe(true);
    const body = ctx.fake.requests.find((r) => r.operation === 'InvokeModel')!.body;
    expect(body).toMatchObject({ dimensions: 1024, normalize: true });
    expect(typeof body.inputText).toBe('string');

    const result = await table['rag:retrieve']({ corpusId: corpus.id, question: 'How much is the overdraft fee per item?', mode: 'semantic', k: 5 });
    expect(result.chunks).toHaveLength(5);
    expect(result.chunks.map((c) => c.documentName)).toContain('03-fee-schedule.pdf');
    const fee = result.chunks.find((c) => c.documentName === '03-fee-schedule.pdf')!;
    expect(fee.pageStart).toBeGreaterThanOrEqual(1);
    expect(result.chunks.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = result.chunks.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const chunk = await table['rag:chunk']({ chunkId: fee.chunkId });
    expect(chunk).toMatchObject({ corpusName: 'AnyCompany Bank handbook', documentName: '03-fee-schedule.pdf', text: fee.text });
  });

  it('a cancelled embedding job leaves a usable partial index that the next run completes', async () => {
    const { table } = handlers();
    const corpus = await table['rag:add-sample']({});
    // Smaller chunks: more batches to cancel between.
    await table['rag:update']({ corpusId: corpus.id, name: corpus.name, description: corpus.description, embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 256, chunkTokens: 96, chunkOverlap: 16 });
    let cancelled = false;
    const stop = ctx.services.rag.onProgress((p) => {
      if (!cancelled && p.done >= 16) {
        cancelled = true;
        ctx.services.rag.cancelIndex(corpus.id);
      }
    });
    const first = await ctx.services.rag.startIndex(corpus.id);
    stop();
    expect(first).toMatchObject({ finished: true, cancelled: true, error: null });
    const partial = ctx.services.rag.detail(corpus.id).corpus;
    expect(partial.staleDocuments).toBe(0);
    expect(partial.embeddedCount).toBeGreaterThanOrEqual(16);
    expect(partial.embeddedCount).toBeLessThan(partial.chunkCount);

    const meanwhile = await table['rag:retrieve']({ corpusId: corpus.id, question: 'replacement debit card delivery', mode: 'semantic', k: 3 });
    expect(meanwhile.chunks).toHaveLength(3);
    expect(meanwhile.note).toMatch(new RegExp(`Only ${partial.embeddedCount} of ${partial.chunkCount} chunks are embedded`));

    const callsBefore = embedCalls();
    const second = await ctx.services.rag.startIndex(corpus.id);
    expect(second).toMatchObject({ finished: true, cancelled: false, error: null, total: partial.chunkCount - partial.embeddedCount });
    expect(embedCalls() - callsBefore).toBe(partial.chunkCount - partial.embeddedCount);
    expect(ctx.services.rag.detail(corpus.id).corpus.embeddedCount).toBe(partial.chunkCount);
    const after = await table['rag:retrieve']({ corpusId: corpus.id, question: 'replacement debit card delivery', mode: 'semantic', k: 3 });
    expect(after.note).toBeNull();
  });

  it('an embedding error stops the job with its message and keeps what was embedded', async () => {
    const corpus = await handlers().table['rag:add-sample']({});
    ctx.fake.on({ operation: 'InvokeModel', model: 'titan-embed', prompt: /Premier/, error: { status: 403, type: 'AccessDeniedException', message: 'You don’t have access to the model with the specified model ID.' } });
    const progress = await ctx.services.rag.startIndex(corpus.id);
    expect(progress.finished).toBe(true);
    expect(progress.error).toMatch(/access/i);
    const keyword = await ctx.services.rag.retrieve({ corpusId: corpus.id, question: 'Premier Checking monthly fee', mode: 'keyword', k: 3 });
    expect(keyword.chunks[0]!.text).toMatch(/Premier/);
  });
});
