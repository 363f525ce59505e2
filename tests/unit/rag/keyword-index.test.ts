/**
 * Keyword search from the in-memory index gives FTS5's own bm25() ranking and scores, exactly
 * (real SQLite file, the shipped sample corpus and text in several scripts); adding files writes
 * chunks and their keyword index in batches.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRagService, type RagService } from '../../../electron/services/rag';
import { matchExpression } from '../../../electron/services/rag/search';
import { openDb, type Db } from '../../../electron/services/store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-keywords-'));
  db = openDb(join(dir, 'parallax.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const unreachable = async () => {
  throw new Error('connect ECONNREFUSED (Bedrock unreachable)');
};
const settings = { embeddingModel: 'amazon.titan-embed-text-v2:0' as const, dimensions: 256, chunkTokens: 64, chunkOverlap: 12 };
const utf8 = (text: string) => new TextEncoder().encode(text);
const sampleDir = join(__dirname, '../../../resources/corpus');
const questions = (JSON.parse(readFileSync(join(__dirname, '../../../resources/qa/anycompany-bank.json'), 'utf8')) as { items: { question: string }[] }).items.map((item) => item.question);

const MIXED = [
  'Café fees: naïve customers pay €5 — résumé requests are free. Crème brûlée is not a product.',
  'Ünïcödé diacritics: e\u0301te\u0301, São Paulo, Zürich, Ångström, Łódź, İstanbul, straße, ǅemal.',
  'Apostrophes: don’t, can’t, O\'Brien, rock’n’roll; dashes x—y, a–b; snake_case and kebab-case words.',
  '東京都の支店は午前九時に開きます。 한국어 지점 안내. Ελληνικά τέλη και κάρτες. Русский текст про карты и комиссии.',
  'Numbers 25 250 2,500 3.5% $35 and codes ABC-123, v2.0, e-mail, e‑mail (a no-break hyphen), half\u00a0space.',
  'Running runners ran; connections connected connecting; fees feeing fee. Overdrafts overdraft OVERDRAFT.',
];

async function withSample(rag: RagService) {
  const sample = rag.create({ name: 'Sample', ...settings });
  const files = readdirSync(sampleDir).sort().map((name) => ({ name, bytes: readFileSync(join(sampleDir, name)) }));
  const report = await rag.addFiles(sample.id, files);
  expect(report.problems).toEqual([]);
  const mixed = rag.create({ name: 'Mixed', ...settings, chunkTokens: 16, chunkOverlap: 4 });
  const added = await rag.addFiles(mixed.id, MIXED.map((text, i) => ({ name: `mixed-${i}.txt`, bytes: utf8(`${text}\n\n${text.split(' ').reverse().join(' ')}`) })));
  expect(added.problems).toEqual([]);
  return { sample, mixed };
}

/** The service's keyword results against FTS5's bm25() query for the same question. */
async function expectSameAsFts5(rag: RagService, corpusId: string, question: string, k = 10) {
  const match = matchExpression(question);
  const reference = match ? rag.repo.bm25(corpusId, match, k) : [];
  const result = await rag.retrieve({ corpusId, question, mode: 'keyword', k });
  const got = result.chunks.map((chunk) => ({ id: chunk.chunkId, score: chunk.score }));
  // FTS5 orders equal scores as it likes; the index by chunk id. Scores must agree bit for bit.
  const byScoreThenId = (rows: { id: number; score: number }[]) => [...rows].sort((a, b) => b.score - a.score || a.id - b.id);
  if (reference.length === k && got.length === k && reference[k - 1]!.score === got[k - 1]!.score) {
    // A tie at the cut: the same scores, and the same chunks above the tied score.
    expect(got.map((r) => r.score)).toEqual(reference.map((r) => r.score));
    const cut = reference[k - 1]!.score;
    expect(byScoreThenId(got.filter((r) => r.score > cut))).toEqual(byScoreThenId(reference.filter((r) => r.score > cut)));
  } else {
    expect(byScoreThenId(got)).toEqual(byScoreThenId(reference));
  }
  return got;
}

describe('keyword search (BM25) from the in-memory index', () => {
  it('ranks and scores exactly as FTS5 for every sample question, words of the handbook and text in several scripts', async () => {
    const rag = createRagService({ db, embedMany: unreachable });
    const { sample, mixed } = await withSample(rag);
    let compared = 0;
    for (const question of questions) {
      const got = await expectSameAsFts5(rag, sample.id, question);
      if (got.length > 0) compared += 1;
    }
    expect(compared).toBe(questions.length);
    const handbook = readdirSync(sampleDir).filter((name) => !name.endsWith('.pdf')).map((name) => readFileSync(join(sampleDir, name), 'utf8')).join(' ');
    const words = handbook.split(/\s+/).filter((w) => /\p{L}/u.test(w));
    for (let i = 0; i < 60; i++) {
      const question = Array.from({ length: 1 + (i % 5) }, (_, j) => words[(i * 7919 + j * 104729) % words.length]!).join(' ');
      await expectSameAsFts5(rag, sample.id, question, 5);
    }
    for (const question of ['cafe fee', 'Café résumé', 'ete', 'Zurich angstrom lodz', 'istanbul strasse', '東京都の支店は午前九時に開きます', 'карты комиссии', 'τέλη', 'running connection', 'snake_case', 'e-mail', 'ABC 123 v2', 'overdraft', '35 25']) {
      await expectSameAsFts5(rag, mixed.id, question);
    }
    // A term FTS5 reads as a phrase of several tokens goes to FTS5's own query: still the same.
    const phrase = await expectSameAsFts5(rag, mixed.id, 'don’t rock’n’roll');
    expect(phrase.length).toBeGreaterThan(0);
    // Statistics span every corpus, as FTS5's do: a question over one corpus is scored with them.
    expect((await rag.retrieve({ corpusId: mixed.id, question: 'overdraft fee', mode: 'keyword' })).chunks.length).toBeGreaterThan(0);
  });

  it('follows changes to the corpus: an added file, a removed document, a change of chunking', async () => {
    const rag = createRagService({ db, embedMany: unreachable });
    const { sample } = await withSample(rag);
    const question = 'wire transfer fee for an international payment';
    const before = await expectSameAsFts5(rag, sample.id, question);
    await rag.addFiles(sample.id, [{ name: 'wires.md', bytes: utf8('International wire transfer fee: a wire transfer payment abroad costs $45 per international wire.') }]);
    const after = await expectSameAsFts5(rag, sample.id, question);
    const wires = rag.detail(sample.id).documents.find((d) => d.name === 'wires.md')!;
    expect((await rag.retrieve({ corpusId: sample.id, question, mode: 'keyword', k: 1 })).chunks[0]!.documentName).toBe('wires.md');
    expect(after).not.toEqual(before);
    rag.removeDocument(sample.id, wires.id);
    await expectSameAsFts5(rag, sample.id, question);
    expect((await rag.retrieve({ corpusId: sample.id, question, mode: 'keyword' })).chunks.map((c) => c.documentName)).not.toContain('wires.md');
    const corpus = rag.detail(sample.id).corpus;
    rag.update(sample.id, { name: corpus.name, embeddingModel: corpus.embeddingModel, dimensions: corpus.dimensions, chunkTokens: 40, chunkOverlap: 0 });
    await rag.startIndex(sample.id); // re-chunks (the embedding part fails offline; the chunks are new)
    expect(rag.detail(sample.id).corpus.staleDocuments).toBe(0);
    await expectSameAsFts5(rag, sample.id, question);
  });

  it('is built once per change of the passages: questions and embedding the corpus reuse it', async () => {
    const embedMany = async (texts: readonly string[]) => texts.map((text, i) => ({ vector: Array.from({ length: 256 }, (_, j) => Math.sin(text.length + i + j)) }));
    const rag = createRagService({ db, embedMany });
    const corpus = rag.create({ name: 'Once', ...settings });
    await rag.addFiles(corpus.id, [{ name: 'fees.md', bytes: utf8('The overdraft fee is $35. Wire transfers cost $30. '.repeat(40)) }]);
    const reads = vi.spyOn(rag.repo, 'chunkTexts');
    await rag.retrieve({ corpusId: corpus.id, question: 'overdraft fee', mode: 'keyword' });
    const built = reads.mock.calls.length;
    expect(built).toBeGreaterThan(0);
    await rag.retrieve({ corpusId: corpus.id, question: 'wire transfers', mode: 'keyword' });
    expect((await rag.startIndex(corpus.id)).error).toBeNull();
    await rag.retrieve({ corpusId: corpus.id, question: 'wire fee', mode: 'hybrid' });
    expect(reads.mock.calls.length).toBe(built);
    await rag.addFiles(corpus.id, [{ name: 'cards.md', bytes: utf8('Card replacement takes five days.') }]);
    expect((await rag.retrieve({ corpusId: corpus.id, question: 'card replacement', mode: 'keyword' })).chunks[0]!.documentName).toBe('cards.md');
    // Only the added file's passages were read (after the last passage already indexed).
    const lastBefore = Math.max(...rag.repo.chunkTexts(corpus.id, 0, 10_000).filter((c) => !c.text.startsWith('Card')).map((c) => c.id));
    expect(reads.mock.calls.slice(built, built + 2).map((call) => call[1])).toEqual([lastBefore, expect.any(Number)]);
    await expectSameAsFts5(rag, corpus.id, 'card fee transfers');
    // A removal is not an append: the next question builds from scratch.
    rag.removeDocument(corpus.id, rag.detail(corpus.id).documents.find((d) => d.name === 'cards.md')!.id);
    reads.mockClear();
    await expectSameAsFts5(rag, corpus.id, 'card fee transfers');
    expect(reads.mock.calls[0]![1]).toBe(0);
  });
});

describe('adding files in batches', () => {
  it('writes chunks and their keyword index together, catches a duplicate within one add, and leaves no pause behind', async () => {
    const rag = createRagService({ db, embedMany: unreachable });
    const corpus = rag.create({ name: 'Batch', ...settings, chunkTokens: 16, chunkOverlap: 0 });
    const text = (i: number) => `Document ${i} talks about savings account number ${i} and its monthly fee of ${i} dollars. `.repeat(20);
    const files = Array.from({ length: 30 }, (_, i) => ({ name: `doc-${i}.txt`, bytes: utf8(text(i)) }));
    files.splice(10, 0, { name: 'copy of doc-3.txt', bytes: utf8(text(3)) });
    const report = await rag.addFiles(corpus.id, files);
    expect(report.added).toHaveLength(30);
    expect(report.problems).toEqual([{ name: 'copy of doc-3.txt', message: '"copy of doc-3.txt" is already in this corpus as "doc-3.txt", so it was not added twice.' }]);
    const chunks = rag.detail(corpus.id).corpus.chunkCount;
    expect(chunks).toBeGreaterThan(300);
    expect(db.prepare("SELECT count(*) FROM corpus_chunks_fts WHERE corpus_chunks_fts MATCH 'savings'").pluck().get()).toBe(chunks);
    expect(db.prepare('SELECT count(*) FROM corpus_fts_deferred').pluck().get()).toBe(0);
    const top = await rag.retrieve({ corpusId: corpus.id, question: 'account 17', mode: 'keyword', k: 3 });
    expect(top.chunks.map((c) => c.documentName)).toEqual(['doc-17.txt', 'doc-17.txt', 'doc-17.txt']);
    // Another connection's single insert still indexes row by row (the pause is per transaction).
    const doc = report.added[0]!;
    db.prepare("INSERT INTO corpus_chunks (corpus_id, document_id, position, tokens, text) VALUES (?, ?, 999, 1, 'zanzibar')").run(corpus.id, doc.id);
    expect(db.prepare("SELECT count(*) FROM corpus_chunks_fts WHERE corpus_chunks_fts MATCH 'zanzibar'").pluck().get()).toBe(1);
  });
});
