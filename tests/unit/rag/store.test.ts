/** Corpora over a real SQLite file: extraction, vectors, top-k, BM25 with Bedrock unreachable. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../electron/services/store';
import { createRagService, extractText } from '../../../electron/services/rag';
import { decodeVector, encodeVector } from '../../../electron/services/rag/vectors';
import { cosine, reciprocalRankFusion, retrievalHit } from '../../../shared/rag/rank';
import { makePdf } from '../../support/pdf';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-rag-'));
  db = openDb(join(dir, 'parallax.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const unreachable = async () => {
  throw new Error('connect ECONNREFUSED 127.0.0.1:9 (Bedrock unreachable)');
};
const settings = { embeddingModel: 'amazon.titan-embed-text-v2:0' as const, dimensions: 256, chunkTokens: 64, chunkOverlap: 8 };
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('extractText', () => {
  it('reads a PDF page by page, keeping page numbers, and skips pages without text', async () => {
    const pdf = await makePdf([['Overdraft fee: 25 dollars per item.', 'Second line.'], null, ['Wire transfers cost 30 dollars.']]);
    const result = await extractText('fees.pdf', pdf);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.hasPages).toBe(true);
    expect(result.pages.map((p) => p.page)).toEqual([1, 3]);
    expect(result.pages[0]!.text).toContain('Overdraft fee: 25 dollars per item.');
    expect(result.pages[0]!.text).toContain('Second line.');
    expect(result.pages[1]!.text).toBe('Wire transfers cost 30 dollars.');
  });

  it('says what is wrong with a scanned, corrupt, empty, binary, unknown or huge file', async () => {
    const scanned = await extractText('scan.pdf', await makePdf([null, null]));
    expect(scanned).toEqual({ ok: false, message: expect.stringMatching(/no text layer.*OCR/) });
    const corrupt = await extractText('broken.pdf', utf8('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage'));
    expect(corrupt).toEqual({ ok: false, message: expect.stringMatching(/could not be read as a PDF.*damaged/) });
    expect(await extractText('fake.pdf', utf8('hello'))).toEqual({ ok: false, message: expect.stringMatching(/not a PDF/) });
    expect(await extractText('empty.txt', new Uint8Array())).toEqual({ ok: false, message: '"empty.txt" is empty: there is no text to add.' });
    expect(await extractText('blank.md', utf8(' \n\n '))).toEqual({ ok: false, message: expect.stringMatching(/empty/) });
    expect(await extractText('bin.txt', new Uint8Array([0x48, 0x00, 0x49]))).toEqual({ ok: false, message: expect.stringMatching(/binary/) });
    expect(await extractText('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toEqual({ ok: false, message: expect.stringMatching(/not UTF-8/) });
    expect(await extractText('slides.pptx', utf8('x'))).toEqual({ ok: false, message: expect.stringMatching(/\.txt, \.md or \.pdf/) });
    expect(await extractText('huge.txt', new Uint8Array(31 * 1024 * 1024))).toEqual({ ok: false, message: expect.stringMatching(/31 MB.*up to 30 MB/) });
  });
});

describe('vectors in SQLite', () => {
  it('round-trips Float32 vectors exactly through a BLOB', () => {
    const vector = [0.1, -2.5, 3.25e-8, 1e20, 0];
    const decoded = decodeVector(encodeVector(vector));
    expect(Array.from(decoded)).toEqual(Array.from(Float32Array.from(vector)));
    const rag = createRagService({ db, embedMany: unreachable });
    const corpus = rag.create({ name: 'Round trip', ...settings, dimensions: 256 });
    const doc = rag.repo.addDocument({ corpusId: corpus.id, name: 'a.txt', kind: 'txt', bytes: 1, sha256: 'x', hasPages: false, pages: [{ page: null, text: 'one' }], chunks: [{ position: 0, text: 'one', tokens: 1, pageStart: null, pageEnd: null }], chunkTokens: 64, chunkOverlap: 8 });
    expect(doc).toBeTruthy();
    const { id } = rag.repo.pending(corpus.id, 'k@256', 10)[0]!;
    const stored = Array.from({ length: 256 }, (_, i) => Math.sin(i) * 1e-3);
    rag.repo.setVectors(corpus.id, 'k@256', [{ id, vector: stored }]);
    const [row] = [...rag.repo.vectors(corpus.id, 'k@256')];
    expect(Array.from(decodeVector(row!.vector))).toEqual(Array.from(Float32Array.from(stored)));
  });
});

describe('retrieval', () => {
  async function corpusWithVectors() {
    // Vectors chosen by hand in 4 dimensions; the "model" answers the question with q.
    const q = [1, 0.5, 0, 0];
    const vectors: Record<string, number[]> = {
      alpha: [1, 0, 0, 0],
      bravo: [0, 1, 0, 0],
      charlie: [1, 1, 0, 0],
      delta: [-1, 0, 0, 0],
      echo: [0.9, 0.6, 0.1, 0],
      foxtrot: [0, 0, 1, 1],
    };
    const embedMany = async (texts: readonly string[]) => texts.map((text) => ({ vector: text in vectors ? vectors[text]! : q }));
    const rag = createRagService({ db, embedMany });
    const corpus = rag.create({ name: 'Hand made', embeddingModel: 'amazon.titan-embed-text-v1', dimensions: 1536, chunkTokens: 16, chunkOverlap: 0 });
    // 4 dimensions are not Titan's: write the vectors directly, under the corpus's key.
    for (const word of Object.keys(vectors)) {
      rag.repo.addDocument({ corpusId: corpus.id, name: `${word}.txt`, kind: 'txt', bytes: word.length, sha256: word, hasPages: false, pages: [{ page: null, text: word }], chunks: [{ position: 0, text: word, tokens: 1, pageStart: null, pageEnd: null }], chunkTokens: 16, chunkOverlap: 0 });
    }
    return { rag, corpus, vectors, q };
  }

  it('ranks top-k by cosine exactly as computed by hand', async () => {
    const { rag, corpus, vectors, q } = await corpusWithVectors();
    const key = 'amazon.titan-embed-text-v1@4';
    const pending = rag.repo.pending(corpus.id, key, 100);
    rag.repo.setVectors(corpus.id, key, pending.map((chunk) => ({ id: chunk.id, vector: vectors[chunk.text]! })));
    db.prepare('UPDATE corpora SET dimensions = 4 WHERE id = ?').run(corpus.id);
    rag.touched(corpus.id);
    const expected = Object.entries(vectors)
      .map(([word, v]) => ({ word, score: cosine(v, q) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
    expect(expected.map((e) => e.word)).toEqual(['echo', 'charlie', 'alpha']); // 0.99.., 0.948.., 0.894..
    const result = await rag.retrieve({ corpusId: corpus.id, question: 'which one?', mode: 'semantic', k: 3 });
    expect(result.chunks.map((c) => c.text)).toEqual(expected.map((e) => e.word));
    result.chunks.forEach((chunk, index) => {
      expect(chunk.rank).toBe(index + 1);
      expect(chunk.score).toBeCloseTo(expected[index]!.score, 6);
    });
  });

  it('answers keyword (BM25) questions with Bedrock unreachable, and says why semantic cannot', async () => {
    const rag = createRagService({ db, embedMany: unreachable });
    const corpus = rag.create({ name: 'Handbook', ...settings });
    const report = await rag.addFiles(corpus.id, [
      { name: 'fees.md', bytes: utf8('# Fees\nThe overdraft fee is $25 per item. Overdrafts over $500 are declined.') },
      { name: 'cards.txt', bytes: utf8('Lost cards are replaced in five days. Card fees: none for debit cards.') },
      { name: 'hours.txt', bytes: utf8('Branches open at nine. Saturday hours vary.') },
      { name: 'empty.txt', bytes: new Uint8Array() },
      { name: 'fees again.md', bytes: utf8('# Fees\nThe overdraft fee is $25 per item. Overdrafts over $500 are declined.') },
    ]);
    expect(report.added.map((d) => d.name)).toEqual(['fees.md', 'cards.txt', 'hours.txt']);
    expect(report.problems).toEqual([
      { name: 'empty.txt', message: '"empty.txt" is empty: there is no text to add.' },
      { name: 'fees again.md', message: '"fees again.md" is already in this corpus as "fees.md", so it was not added twice.' },
    ]);
    const result = await rag.retrieve({ corpusId: corpus.id, question: 'How much is an overdraft fee?', mode: 'keyword', k: 5 });
    expect(result.terms).toEqual(['much', 'overdraft', 'fee']);
    expect(result.chunks[0]!.documentName).toBe('fees.md');
    expect(result.chunks.map((c) => c.documentName)).toContain('cards.txt'); // "fees" stems to "fee"
    expect(result.chunks.map((c) => c.documentName)).not.toContain('hours.txt');
    expect(result.chunks[0]!.score).toBeGreaterThan(result.chunks[1]!.score);
    await expect(rag.retrieve({ corpusId: corpus.id, question: 'overdraft', mode: 'semantic' })).rejects.toThrow(/No chunk of "Handbook" is embedded.*Keyword mode/);
    const hybrid = await rag.retrieve({ corpusId: corpus.id, question: 'overdraft fee', mode: 'hybrid' });
    expect(hybrid.chunks[0]!.documentName).toBe('fees.md');
    expect(hybrid.note).toMatch(/keyword results only/);
  });

  it('removing a document removes its chunks from both indexes', async () => {
    const rag = createRagService({ db, embedMany: unreachable });
    const corpus = rag.create({ name: 'Removal', ...settings });
    const { added } = await rag.addFiles(corpus.id, [{ name: 'a.txt', bytes: utf8('zebra crossing rules') }, { name: 'b.txt', bytes: utf8('zebra stripes') }]);
    expect((await rag.retrieve({ corpusId: corpus.id, question: 'zebra', mode: 'keyword' })).chunks).toHaveLength(2);
    const detail = rag.removeDocument(corpus.id, added[0]!.id);
    expect(detail.documents.map((d) => d.name)).toEqual(['b.txt']);
    expect(detail.corpus.chunkCount).toBe(1);
    expect((await rag.retrieve({ corpusId: corpus.id, question: 'zebra crossing', mode: 'keyword' })).chunks.map((c) => c.documentName)).toEqual(['b.txt']);
    expect(db.prepare('SELECT COUNT(*) FROM corpus_chunks').pluck().get()).toBe(1);
  });

  it('re-chunks after a chunking change and re-embeds after a model change', async () => {
    let calls = 0;
    const rag = createRagService({
      db,
      batchSize: 4,
      embedMany: async (texts, options) => {
        calls += texts.length;
        return texts.map(() => ({ vector: Array.from({ length: options.dimensions ?? 1536 }, (_, i) => (i === 0 ? 1 : 0)) }));
      },
    });
    const corpus = rag.create({ name: 'Changes', ...settings, chunkTokens: 16, chunkOverlap: 0 });
    const words = Array.from({ length: 64 }, (_, i) => `word${i}`).join(' ');
    await rag.addFiles(corpus.id, [{ name: 'w.txt', bytes: utf8(words) }]);
    expect(rag.detail(corpus.id).corpus.chunkCount).toBe(4);
    await rag.startIndex(corpus.id);
    expect(rag.detail(corpus.id).corpus.embeddedCount).toBe(4);
    rag.update(corpus.id, { name: 'Changes', ...settings, chunkTokens: 32, chunkOverlap: 0 });
    expect(rag.detail(corpus.id).corpus.staleDocuments).toBe(1);
    const progress = await rag.startIndex(corpus.id);
    expect(progress).toMatchObject({ done: 2, total: 2, finished: true, cancelled: false, error: null });
    expect(rag.detail(corpus.id).corpus).toMatchObject({ chunkCount: 2, embeddedCount: 2, staleDocuments: 0 });
    rag.update(corpus.id, { name: 'Changes', ...settings, chunkTokens: 32, chunkOverlap: 0, dimensions: 512 });
    expect(rag.detail(corpus.id).corpus.embeddedCount).toBe(0);
    await rag.startIndex(corpus.id);
    expect(rag.detail(corpus.id).corpus.embeddedCount).toBe(2);
    expect(calls).toBe(8);
  });
});

describe('rank helpers', () => {
  it('fuses rankings so that ids high in both lists come first', () => {
    const fused = reciprocalRankFusion([[1, 2, 3], [3, 1, 4]]);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2, 4]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 10);
  });

  it('scores hit and reciprocal rank of the expected source, with or without its extension', () => {
    expect(retrievalHit(['a.md', 'fees.pdf', 'b.md'], 'fees.pdf')).toEqual({ hit: true, reciprocalRank: 0.5 });
    expect(retrievalHit(['fees.pdf'], 'Fees')).toEqual({ hit: true, reciprocalRank: 1 });
    expect(retrievalHit(['a.md'], 'fees.pdf')).toEqual({ hit: false, reciprocalRank: 0 });
  });
});
