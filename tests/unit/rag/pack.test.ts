/**
 * A corpus exported with its vectors (a .parallax-corpus file, or inside a workshop pack whose runs
 * retrieve from it) and imported into an empty profile retrieves offline.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../electron/handlers';
import { createServices, type Services } from '../../../electron/services';
import { createRagService } from '../../../electron/services/rag';
import { decodeCorpusPack, encodeCorpusPack, exportCorpus, importCorpus } from '../../../electron/services/rag/pack';
import { ExperimentConfig } from '../../../shared/domain';
import { bagOfWordsEmbedding } from '../../support/fake-bedrock/embeddings';
import { presetDialogs } from '../../support/preset-dialogs';

let dirs: string[] = [];
let open: Services[] = [];
const profile = (dialogs?: ReturnType<typeof presetDialogs>): Services => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-rag-pack-'));
  dirs.push(dir);
  const services = createServices({ dataDir: dir, version: '0.0.0-test', ...(dialogs ? { dialogs: dialogs.dialogs } : {}) });
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

describe('a workshop pack whose runs retrieve from a corpus', () => {
  const key = 'amazon.titan-embed-text-v2:0@256';
  const embed = async (texts: readonly string[]) => texts.map((text) => ({ vector: bagOfWordsEmbedding(text, 256, true) }));

  /** The facilitator's profile: the handbook indexed (vectors as the fake makes them) and a grounded run over it. */
  async function facilitatorWithGroundedRun() {
    const facilitator = profile();
    const corpus = facilitator.rag.create({ name: 'AnyCompany Bank handbook', embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 256, chunkTokens: 128, chunkOverlap: 16 });
    const files = ['01-accounts.md', '03-fee-schedule.pdf', '05-digital-banking.txt'].map((name) => ({ name, bytes: readFileSync(join(__dirname, '..', '..', '..', 'resources', 'corpus', name)) }));
    expect((await facilitator.rag.addFiles(corpus.id, files)).problems).toEqual([]);
    const pending = facilitator.rag.repo.pending(corpus.id, key, 10_000);
    facilitator.rag.repo.setVectors(corpus.id, key, (await embed(pending.map((c) => c.text))).map((e, i) => ({ id: pending[i]!.id, vector: e.vector })));
    facilitator.rag.touched(corpus.id);
    const question = 'How much is the overdraft fee?';
    const config = ExperimentConfig.parse({
      variables: [],
      arms: [
        { mode: 'baseline', label: 'From memory', modelId: 'amazon.nova-lite-v1:0', template: question },
        { mode: 'derived', label: 'Grounded', steps: [{ kind: 'retrieve', corpusId: corpus.id, mode: 'hybrid', k: 3 }] },
      ],
    });
    const runId = facilitator.runs.create({
      experimentId: null,
      title: 'Overdraft fee, grounded',
      config,
      arms: config.arms.map((arm) => ({ label: arm.label, technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user', text: question }], inference: {} } })),
    });
    facilitator.runs.updateArm(runId, 0, { text: 'Usually about $30.', status: 'completed', stopReason: 'end_turn' });
    facilitator.runs.updateArm(runId, 1, { text: 'The overdraft fee is $35 per item [1].', status: 'completed', stopReason: 'end_turn' });
    facilitator.runs.finish(runId, 'completed');
    // A run without retrieval: it adds no corpus to a pack on its own.
    const plainConfig = ExperimentConfig.parse({ variables: [], arms: [{ mode: 'baseline', label: 'Plain', modelId: 'amazon.nova-lite-v1:0', template: 'Hi' }, { mode: 'derived', label: 'Also plain', steps: [] }] });
    const plainRunId = facilitator.runs.create({ experimentId: null, title: 'No corpus', config: plainConfig, arms: plainConfig.arms.map((arm) => ({ label: arm.label, technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user', text: 'Hi' }], inference: {} } })) });
    facilitator.runs.finish(plainRunId, 'completed');
    return { facilitator, corpus: facilitator.rag.detail(corpus.id).corpus, runId, plainRunId, question };
  }

  it('carries the corpus its runs use; imported into an empty profile, the runs\' steps find it and retrieve by keyword and cosine offline', async () => {
    const { facilitator, corpus, runId, plainRunId, question } = await facilitatorWithGroundedRun();
    const dir = mkdtempSync(join(tmpdir(), 'parallax-rag-wpack-'));
    dirs.push(dir);
    const path = join(dir, 'workshop.parallax');
    expect(await facilitator.packs.writeStream(path, [runId, plainRunId], { title: 'RAG workshop', author: 'Facilitator', description: '' })).toBe(2);
    const plainOnly = join(dir, 'plain.parallax');
    await facilitator.packs.writeStream(plainOnly, [plainRunId], { title: 'No corpus', author: '', description: '' });

    const trainee = profile();
    expect(trainee.rag.list()).toEqual([]);
    const { report } = await trainee.exporter.importStream(path);
    expect(report).toMatchObject({ imported: 2, corpora: 1 });
    // The corpus keeps its id, so the run's retrieve step (and a rerun of it) searches it.
    const [imported] = trainee.rag.list();
    expect(imported).toMatchObject({ id: corpus.id, name: 'AnyCompany Bank handbook', dimensions: 256, chunkCount: corpus.chunkCount, embeddedCount: corpus.chunkCount, staleDocuments: 0 });
    const step = trainee.runs.get(runId)!.config.arms[1]!;
    expect(step.mode === 'derived' && step.steps[0]).toMatchObject({ kind: 'retrieve', corpusId: imported!.id });
    const vectorsOf = (s: Services) => [...s.rag.repo.vectors(corpus.id, key)].map((v) => [v.id, Buffer.from(v.vector).toString('hex')]);
    expect(vectorsOf(trainee)).toEqual(vectorsOf(facilitator));

    // Keyword (BM25) with Bedrock unreachable: the same passages, by the same chunk ids (citations open them).
    const keyword = await trainee.rag.retrieve({ corpusId: corpus.id, question, mode: 'keyword', k: 3 });
    expect(keyword.chunks[0]).toMatchObject({ documentName: '03-fee-schedule.pdf' });
    expect(keyword.chunks[0]!.text).toMatch(/\$35/);
    const facilitatorKeyword = await facilitator.rag.retrieve({ corpusId: corpus.id, question, mode: 'keyword', k: 3 });
    expect(keyword.chunks.map((c) => [c.chunkId, c.documentName, c.pageStart])).toEqual(facilitatorKeyword.chunks.map((c) => [c.chunkId, c.documentName, c.pageStart]));
    // Cosine over the stored vectors, nothing re-embedded: only the question is (here by the fake's embedding).
    const semanticOf = (s: Services) => createRagService({ db: s.db, embedMany: embed }).retrieve({ corpusId: corpus.id, question, mode: 'semantic', k: 3 });
    const semantic = await semanticOf(trainee);
    expect(semantic.note).toBeNull();
    expect(semantic.chunks.map((c) => [c.chunkId, c.score])).toEqual((await semanticOf(facilitator)).chunks.map((c) => [c.chunkId, c.score]));

    // Importing the pack again adds nothing; a pack without retrieval carries no corpus.
    const again = await trainee.exporter.importStream(path);
    expect(again.report).toMatchObject({ imported: 0, skipped: 2 });
    expect(again.report.corpora ?? 0).toBe(0);
    expect(trainee.rag.list()).toHaveLength(1);
    const other = profile();
    expect((await other.exporter.importStream(plainOnly)).report.corpora ?? 0).toBe(0);
    expect(other.rag.list()).toEqual([]);
  });

  it('announces the corpora it brings (rag:changed), so the Corpora screen lists them without a restart', async () => {
    const { facilitator, corpus, runId, question } = await facilitatorWithGroundedRun();
    const dir = mkdtempSync(join(tmpdir(), 'parallax-rag-wpack-'));
    dirs.push(dir);
    const path = join(dir, 'workshop.parallax');
    await facilitator.packs.writeStream(path, [runId], { title: 'RAG workshop', author: '', description: '' });
    const dialogs = presetDialogs();
    const trainee = profile(dialogs);
    const events: { event: string; payload: unknown }[] = [];
    const table = createHandlers(trainee, (event, payload) => events.push({ event, payload }));
    expect(await table['rag:list']({})).toEqual([]);
    // The trainee searched once before the import: the service's caches must not hide the new corpus.
    await expect(table['rag:retrieve']({ corpusId: corpus.id, question, mode: 'keyword', k: 3 })).rejects.toThrow(/no longer there/);
    dialogs.nextOpen(path);
    expect(await table['import:file']({ operationId: 'pack' })).toMatchObject({ status: 'done', imported: 1, corpora: 1, corpusIds: [corpus.id] });
    expect(events.filter((e) => e.event === 'rag:changed').map((e) => e.payload)).toEqual([{ corpusId: corpus.id }]);
    expect((await table['rag:list']({})).map((c) => c.name)).toEqual(['AnyCompany Bank handbook']);
    const keyword = await table['rag:retrieve']({ corpusId: corpus.id, question, mode: 'keyword', k: 3 });
    expect(keyword.chunks[0]).toMatchObject({ documentName: '03-fee-schedule.pdf' });
    // The same pack again brings no corpus, so nothing is announced.
    events.length = 0;
    dialogs.nextOpen(path);
    expect(await table['import:file']({ operationId: 'again' })).toMatchObject({ status: 'done', imported: 0, skipped: 1 });
    expect(events.filter((e) => e.event === 'rag:changed')).toEqual([]);
  });

  it('imports through the in-memory path too, giving new chunk ids when the profile already uses them', async () => {
    const { facilitator, corpus, runId, question } = await facilitatorWithGroundedRun();
    const dir = mkdtempSync(join(tmpdir(), 'parallax-rag-wpack-'));
    dirs.push(dir);
    const path = join(dir, 'workshop.parallax');
    expect(facilitator.packs.write(path, [runId], { title: 'RAG workshop', author: '', description: '' })).toBe(1);
    const trainee = profile();
    // The trainee already has a corpus whose chunks hold the ids the pack's chunks had.
    const own = trainee.rag.create({ name: 'Own notes', embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: 256, chunkTokens: 32, chunkOverlap: 0 });
    await trainee.rag.addFiles(own.id, [{ name: 'notes.md', bytes: readFileSync(join(__dirname, '..', '..', '..', 'resources', 'corpus', '06-policies.md')) }]);
    expect(trainee.exporter.import(path).report).toMatchObject({ imported: 1, corpora: 1 });
    const keyword = await trainee.rag.retrieve({ corpusId: corpus.id, question, mode: 'keyword', k: 3 });
    expect(keyword.chunks[0]).toMatchObject({ documentName: '03-fee-schedule.pdf' });
    const ownChunks = new Set((await trainee.rag.retrieve({ corpusId: own.id, question: 'complaint', mode: 'keyword', k: 50 })).chunks.map((c) => c.chunkId));
    expect(keyword.chunks.some((c) => ownChunks.has(c.chunkId))).toBe(false);
    expect(trainee.rag.detail(corpus.id).corpus.embeddedCount).toBe(corpus.chunkCount);
  });
});
