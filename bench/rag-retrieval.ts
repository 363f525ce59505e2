/**
 * bench/rag-retrieval: a corpus of 20,000 chunks (default chunking, 512 tokens with 102 overlap)
 * with generated 1,024-dimension vectors in a real SQLite file.
 * - ingest_chunks_per_s: extract + chunk + store text files and store their vectors (the
 *   embedding calls themselves are excluded: vectors are generated);
 * - query_p95_ms: top-5 cosine through the retrieval service (question vector, scan, chunk rows);
 * - bm25_p95_ms: keyword top-5 (BM25, FTS5's scores) for varied 1–4 word questions, common and rare words.
 * Targets are wall-clock figures. On a shared machine the same figures in CPU time of this process
 * (`*_cpu_*`, robust to other load) are printed beside them, with the 1-minute load average.
 * The first query of each mode loads its index (vectors; the keyword index) and is timed apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRagService } from '../electron/services/rag';
import { vectorKey } from '../electron/services/rag/vectors';
import { openDb } from '../electron/services/store';
import { median, percentile, report, round } from './lib/report';

const CHUNKS = 20_000;
const DIMENSIONS = 1024;
const QUERIES = Number(process.env.RAG_BENCH_QUERIES ?? 200);
const DOCUMENTS = 100;

let seed = 42;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0xffffffff;
};
const syllables = ['ka', 'ro', 'mi', 'fee', 'lo', 'an', 'ter', 'ba', 'nk', 'sa', 'vi', 'ng', 'de', 'po', 'sit', 'cre', 'dit', 'ra', 'te', 'ol'];
const vocabulary = Array.from({ length: 4000 }, (_, i) => {
  let word = '';
  let n = i + 7;
  do {
    word += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  } while (n > 0);
  return word;
});
// Zipf-like: a few words very common, most rare (as in prose).
const wordAt = () => vocabulary[Math.min(vocabulary.length - 1, Math.floor(vocabulary.length * random() ** 3))]!;
const sentence = () => {
  const length = 8 + Math.floor(random() * 14);
  const words = Array.from({ length }, wordAt);
  return `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}.`;
};
// The chunker steps 410 tokens (512 − 102); a sentence averages ~16 tokens with its full stop.
const tokensPerDocument = Math.ceil(CHUNKS / DOCUMENTS) * 410 + 102;
const documents = Array.from({ length: DOCUMENTS }, () => {
  const parts: string[] = [];
  let tokens = 0;
  while (tokens < tokensPerDocument) {
    const s = sentence();
    parts.push(s);
    tokens += s.split(' ').length + 1;
  }
  return new TextEncoder().encode(parts.join(' '));
});
/** Milliseconds of CPU this process used since `since`. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const randomVector = () => {
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) v[i] = random() * 2 - 1;
  return v;
};

async function main(): Promise<void> {
const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-rag-'));
try {
  const db = openDb(join(dir, 'bench.db'));
  const rag = createRagService({ db, embedMany: async (texts) => texts.map(() => ({ vector: Array.from(randomVector()) })) });
  const corpus = rag.create({ name: 'Bench', embeddingModel: 'amazon.titan-embed-text-v2:0', dimensions: DIMENSIONS, chunkTokens: 512, chunkOverlap: 102 });
  const key = vectorKey(corpus.embeddingModel, DIMENSIONS);

  const loadAtStart = loadavg()[0]!;
  const ingestStarted = performance.now();
  const ingestCpu = process.cpuUsage();
  const imported = await rag.addFiles(corpus.id, documents.map((bytes, i) => ({ name: `doc-${i}.txt`, bytes })));
  if (imported.problems.length > 0) throw new Error(JSON.stringify(imported.problems));
  let stored = 0;
  for (;;) {
    const batch = rag.repo.pending(corpus.id, key, 500);
    if (batch.length === 0) break;
    rag.repo.setVectors(corpus.id, key, batch.map((chunk) => ({ id: chunk.id, vector: randomVector() })));
    stored += batch.length;
  }
  rag.touched(corpus.id);
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  const ingestCpuSeconds = cpuMs(ingestCpu) / 1000;
  const chunkCount = rag.detail(corpus.id).corpus.chunkCount;
  if (stored !== chunkCount) throw new Error(`stored ${stored} vectors for ${chunkCount} chunks`);
  console.error(`ingested ${chunkCount} chunks in ${ingestSeconds.toFixed(2)} s (${ingestCpuSeconds.toFixed(2)} s of CPU)`);

  const loadStarted = performance.now();
  await rag.retrieve({ corpusId: corpus.id, question: 'warm up', mode: 'semantic', k: 5 });
  console.error(`vector index loaded in ${(performance.now() - loadStarted).toFixed(0)} ms`);
  const keywordLoadStarted = performance.now();
  const keywordLoadCpu = process.cpuUsage();
  await rag.retrieve({ corpusId: corpus.id, question: 'warm up', mode: 'keyword', k: 5 });
  const keywordIndexMs = performance.now() - keywordLoadStarted;
  const keywordIndexCpuMs = cpuMs(keywordLoadCpu);
  console.error(`keyword index built in ${keywordIndexMs.toFixed(0)} ms (${keywordIndexCpuMs.toFixed(0)} ms of CPU)`);

  const cosineTimes: number[] = [];
  const cosineCpu: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await rag.retrieve({ corpusId: corpus.id, question: `question ${i}`, mode: 'semantic', k: 5 });
    cosineTimes.push(performance.now() - started);
    cosineCpu.push(cpuMs(cpu));
    if (i === 9) console.error(`first 10 cosine queries: ${cosineTimes.map((t) => t.toFixed(1)).join(' ')}`);
    if (result.chunks.length !== 5) throw new Error('top-5 returned fewer chunks');
  }
  const bm25Times: number[] = [];
  const bm25Cpu: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const question = Array.from({ length: 1 + (i % 4) }, wordAt).join(' ');
    const started = performance.now();
    const cpu = process.cpuUsage();
    await rag.retrieve({ corpusId: corpus.id, question, mode: 'keyword', k: 5 });
    bm25Times.push(performance.now() - started);
    bm25Cpu.push(cpuMs(cpu));
    if (i < 8) console.error(`bm25 "${question}": ${bm25Times[i]!.toFixed(1)} ms`);
  }
  db.close();
  console.error(`cosine median ${median(cosineTimes).toFixed(2)} ms, bm25 median ${median(bm25Times).toFixed(2)} ms`);
  report(
    'rag-retrieval',
    {
      query_p95_ms: round(percentile(cosineTimes, 95), 2),
      query_median_ms: round(median(cosineTimes), 2),
      bm25_p95_ms: round(percentile(bm25Times, 95), 2),
      bm25_median_ms: round(median(bm25Times), 2),
      ingest_chunks_per_s: Math.round(chunkCount / ingestSeconds),
      query_cpu_p95_ms: round(percentile(cosineCpu, 95), 2),
      bm25_cpu_p95_ms: round(percentile(bm25Cpu, 95), 2),
      ingest_cpu_chunks_per_s: Math.round(chunkCount / ingestCpuSeconds),
      keyword_index_build_ms: Math.round(keywordIndexMs),
      keyword_index_build_cpu_ms: Math.round(keywordIndexCpuMs),
      chunks: chunkCount,
      load_avg_1m_start: round(loadAtStart, 2),
      load_avg_1m_end: round(loadavg()[0]!, 2),
    },
    { query_p95_ms: '<= 20', bm25_p95_ms: '<= 20', ingest_chunks_per_s: '>= 2000' },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
