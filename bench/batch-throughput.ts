/**
 * bench/batch-throughput: how close a batch comes to the ideal schedule (issue 13).
 *
 * 1,000 rows × 2 arms (2,000 calls) against the fake Bedrock at 100 ms per call (first token
 * after 100 ms, then the short default reply), concurrency 8. The fake runs in its own process
 * (the CLI), so this process is the app's main process alone: real services (AWS SDK over
 * HTTP/2, SQLite in a temp folder, the store worker thread as in the app), the batch scheduler,
 * runner and words metric.
 *
 * ratio — wall time from `batches.start` to the batch settled, divided by the ideal
 *   (calls × 100 ms ÷ 8). Target ≤ 1.15.
 * main_peak_mb — peak RSS of this process while the batch runs (sampled every 50 ms). Target ≤ 300.
 * longest_block_ms — the longest event-loop stall of this (main) process while results stream
 *   (a 10 ms timer's lateness). The renderer's figure comes from the e2e suite's matrix test
 *   (see the report); here the main process must not block either. Target ≤ 100.
 * cpu_ms_per_cell — this process's CPU time (user + system) per cell while the batch runs, and
 *   load — the 1-minute load average at the end: on a shared machine the wall-clock ratio follows
 *   the load, the CPU per cell does not. No target; they say why a ratio is what it is.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServices } from '../electron/services';
import { parseDataset } from '../electron/services/batch/parse';
import { BATCH_CONFIG, topicsCsv } from '../tests/support/batch-fixtures';
import { sourceStoreWorker } from '../tests/support/store-worker';
import { useTestCredentials } from '../tests/support/test-credentials';
import { report, round } from './lib/report';

const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const LATENCY_MS = 100;
const CONCURRENCY = 8;
const ROOT = resolve(__dirname, '..');

async function startFake(): Promise<{ endpoint: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/support/fake-bedrock/cli.ts'), '--port', '0', '--first-token-ms', String(LATENCY_MS)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolveEndpoint, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) resolveEndpoint(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`fake exited ${code}`)));
  });
  child.stdout.resume();
  return { endpoint, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  useTestCredentials();
  const fake = await startFake();
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-batch-'));
  // with the store worker, as in the app: its background WAL checkpoints run off the main thread
  const services = createServices({ dataDir: dir, version: '0.0.0-bench', storeWorker: sourceStoreWorker() });
  services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 3 });
  try {
    const parsed = parseDataset(topicsCsv(ROWS), 'csv');
    // the worker starts (and compiles its source under tsx) before the clock, as the app's is built and running
    await services.jobs.run('checkpoint', {}, { onProgress: () => undefined });
    const dataset = services.batchRepo.createDataset({ name: 'topics.csv', format: 'csv', ...parsed, mapping: { variables: { topic: 'topic' }, reference: 'expected' } });
    // memoryUsage() walks the whole heap's spaces: rss() alone, every 50 ms, keeps the probe cheap
    let peak = process.memoryUsage.rss();
    const memory = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
    let longest = 0;
    let last = performance.now();
    const sampler = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last - 10);
      last = now;
    }, 10);
    let events = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const batch = services.batches.start(
      { name: 'Bench', experimentId: null, config: BATCH_CONFIG, datasetId: dataset.id, mapping: dataset.mapping, repeats: 1, concurrency: CONCURRENCY, scores: { metrics: ['words'], judges: [] } },
      () => {
        events += 1;
      },
    );
    await services.batches.whenSettled(batch.id);
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    clearInterval(memory);
    const summary = services.batches.list().find((b) => b.id === batch.id)!;
    if (summary.counts.completed !== ROWS * 2) throw new Error(`only ${summary.counts.completed} of ${ROWS * 2} cells completed`);
    const ideal = (ROWS * 2 * LATENCY_MS) / CONCURRENCY;
    console.error(`batch: ${ROWS * 2} cells in ${round(elapsed / 1000, 2)} s (ideal ${ideal / 1000} s), ${events} events`);
    report(
      'batch-throughput',
      {
        ratio: round(elapsed / ideal),
        main_peak_mb: round(peak / 1_048_576, 1),
        longest_block_ms: round(longest, 1),
        cpu_ms_per_cell: round((cpu.user + cpu.system) / 1000 / (ROWS * 2), 2),
        load: round(loadavg()[0]!, 2),
      },
      { ratio: '<= 1.15', main_peak_mb: '<= 300', longest_block_ms: '<= 100' },
    );
  } finally {
    services.close();
    fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
