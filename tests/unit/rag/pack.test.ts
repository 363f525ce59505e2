/** A corpus exported with its vectors and imported into an empty profile retrieves offline. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServices, type Services } from '../../../electron/services';
import { decodeCorpusPack, encodeCorpusPack, exportCorpus, importCorpus } from '../../../electron/services/rag/pack';
import { bagOfWordsEmbedding } from '../../support/fake-bedrock/embeddings';

let dirs: string[] = [];
let open: Services[] = [];
const profile = (): Services => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-rag-pack-'));
  dirs.push(dir);
  const services = createServices({ dataDir: dir, version: '0.0.0-test' });
  // Nothing listens here: any Bedrock call fails at once, as offline.
  services.settings.update({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', maxAttempts: 1, timeoutMs: 2_000 });
  open.push(services);
  return services;
};
beforeEach(() => {
  dirs = [];
  open = [];
});
afterEach(() => {
  open.forEach((s) => s.close());
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

it('carries documents, pages, chunks and vectors; the trainee retrieves by keyword offline and sees why semantic needs Bedrock', async () => {
  const facilitator = profile();
  const corpus = facilitator.rag.create({ name: 'AnyCompany Bank handbook', embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 256, chunkTokens: 128, chunkOverlap: 16 });
  const files = ['01-accounts.md', '03-fee-schedule.pdf'].map((name) => ({ name, bytes: readFileSync(join(__dirname, '..', '..', '..', 'resources', 'corpus', name)) }));
  expect((await facilitator.rag.addFiles(corpus.id, files)).problems).toEqual([]);
  // Embed as the fake would (no server needed for the facilitator's index here).
  const key = 'amazon.titan-embed-text-v2:0@256';
  const pending = facilitator.rag.repo.pending(corpus.id, key, 10_000);
  facilitator.rag.repo.setVectors(corpus.id, key, pending.map((c) => ({ id: c.id, vector: bagOfWordsEmbedding(c.text, 256, true) })));
  const before = facilitator.rag.detail(corpus.id);
  expect(before.corpus.embeddedCount).toBe(before.corpus.chunkCount);

  const bytes = encodeCorpusPack(exportCorpus(facilitator.db, corpus.id), '0.0.0-test', 1);
  const trainee = profile();
  expect(trainee.rag.list()).toEqual([]);
  const importedId = importCorpus(trainee.db, decodeCorpusPack(bytes));
  trainee.rag.touched(importedId);
  const after = trainee.rag.detail(importedId);
  expect(after.corpus).toMatchObject({ name: 'AnyCompany Bank handbook', dimensions: 256, chunkTokens: 128, chunkOverlap: 16, chunkCount: before.corpus.chunkCount, embeddedCount: before.corpus.chunkCount, staleDocuments: 0 });
  expect(after.documents.map((d) => [d.name, d.pages, d.chunkCount])).toEqual(before.documents.map((d) => [d.name, d.pages, d.chunkCount]));
  const vectorsOf = (s: Services, id: string) => [...s.rag.repo.vectors(id, key)].map((v) => Buffer.from(v.vector).toString('hex'));
  expect(vectorsOf(trainee, importedId)).toEqual(vectorsOf(facilitator, corpus.id));

  const keyword = await trainee.rag.retrieve({ corpusId: importedId, question: 'What is the overdraft fee?', mode: 'keyword', k: 3 });
  expect(keyword.chunks[0]).toMatchObject({ documentName: '03-fee-schedule.pdf' });
  expect(keyword.chunks[0]!.text).toMatch(/\$35/);
  const hybrid = await trainee.rag.retrieve({ corpusId: importedId, question: 'What is the overdraft fee?', mode: 'hybrid', k: 3 });
  expect(hybrid.chunks[0]!.documentName).toBe('03-fee-schedule.pdf');
  expect(hybrid.note).toMatch(/Semantic search was not available .*keyword results only/);

  // Importing the same pack again keeps both, the second renamed.
  const again = importCorpus(trainee.db, decodeCorpusPack(bytes));
  expect(trainee.rag.detail(again).corpus.name).toBe('AnyCompany Bank handbook (from pack)');
});

it('refuses a damaged pack before writing anything', () => {
  const trainee = profile();
  expect(() => decodeCorpusPack(Buffer.from('not gzip'))).toThrow(/not a Parallax corpus pack/);
  const section = { name: 'X', description: '', embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 256, chunkTokens: 64, chunkOverlap: 0, documents: [{ name: 'a.txt', kind: 'txt', bytes: 1, sha256: 'a'.repeat(64), hasPages: false, chunkTokens: 64, chunkOverlap: 0, addedAt: 0, pages: [{ page: 1, text: 'a' }], chunks: [{ position: 0, pageStart: null, pageEnd: null, tokens: 1, text: 'a', vector: Buffer.alloc(12).toString('base64'), vectorKey: 'amazon.titan-embed-text-v2:0@256' }] }] };
  expect(() => importCorpus(trainee.db, section)).toThrow(/damaged vector \(a\.txt, passage 1\)/);
  expect(() => importCorpus(trainee.db, { ...section, embeddingModel: 'gpt' })).toThrow(/not valid \(embeddingModel/);
  expect(trainee.rag.list()).toEqual([]);
});
