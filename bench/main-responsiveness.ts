/**
 * bench/main-responsiveness: the BUILT main process (dist-electron/main.js) under the fake
 * electron (tests/support/fake-electron.ts), on a MAIN_BENCH_RUNS-run database (100,000 by default).
 *
 * - startup_ms: from loading main.js (the entry point) to the window's first request served
 *   (app:info through the bound IPC handler), median of 5 starts on the same database. Each start
 *   is a fresh plain-Node process (bench/lib/startup-child.ts, bundled with esbuild): the built
 *   main.js and its chunks load as a user's app loads them, with no tsx loader in the way and
 *   nothing cached from an earlier start. startup_cpu_ms is that start's CPU time (user +
 *   system), which a busy machine changes far less than the wall clock; the phases say where the
 *   wall time went (loading main.js; ready to the window's first load; the first request).
 *   MAIN_BENCH_CPU_PROF=1 runs one more start under --cpu-prof and prints where its time went.
 * - The IPC figure below runs in this process (tsx), under the same fake.
 * - ipc_p95_ms_during_heavy: the round trip of an IPC call (app:info, one due every 20 ms,
 *   latency counted from when it was due) while an integrity check, a search-index rebuild and a
 *   10,000-run import run in turn; p95 over all. Per-task p95, max and durations are reported too.
 *
 * The database is generated once and cached in os.tmpdir() (the history-scale bench's cache of
 * the same size is reused when present); the 10,000-run import file likewise.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSync } from 'esbuild';
import { createServices } from '../electron/services';
import { generateHistory } from '../tests/support/history-fixtures';
import { createFakeElectron, ensureBuiltElectron, loadBuilt, restoreElectron, type FakeElectron } from '../tests/support/fake-electron';
import { summarizeCpuProfile } from './lib/cpu-profile';
import { median, percentile, report, round } from './lib/report';

const RUNS = Number(process.env.MAIN_BENCH_RUNS ?? 100_000);
const IMPORT_RUNS = Number(process.env.MAIN_BENCH_IMPORT_RUNS ?? 10_000);
const STARTS = 5;

function log(message: string): void {
  console.error(`[main-responsiveness] ${message}`);
}

/** A cached generated database of RUNS runs (history-scale's, or our own). */
function cachedDatabase(): string {
  const shared = readdirSync(tmpdir())
    .filter((name) => name.startsWith('parallax-bench-history-cache-') && name.endsWith(`-${RUNS}`))
    .map((name) => join(tmpdir(), name, 'parallax.db'))
    .filter((path) => existsSync(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (shared[0]) {
    log(`reusing ${shared[0]}`);
    return shared[0];
  }
  const cacheDir = join(tmpdir(), `parallax-bench-main-cache-${RUNS}`);
  const cached = join(cacheDir, 'parallax.db');
  if (existsSync(cached)) return cached;
  const build = mkdtempSync(join(tmpdir(), 'parallax-bench-main-build-'));
  log(`generating ${RUNS} runs (once; cached in ${cacheDir}) …`);
  const services = createServices({ dataDir: build, version: 'bench' });
  generateHistory(services.db, { runs: RUNS });
  services.db.pragma('wal_checkpoint(TRUNCATE)');
  services.close();
  mkdirSync(cacheDir, { recursive: true });
  renameSync(join(build, 'parallax.db'), cached);
  rmSync(build, { recursive: true, force: true });
  return cached;
}

/** A JSON export of IMPORT_RUNS runs whose ids are not in the big database. */
function importFile(): string {
  const path = join(tmpdir(), `parallax-bench-main-import-${IMPORT_RUNS}.json`);
  if (existsSync(path)) return path;
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-main-import-'));
  log(`generating the ${IMPORT_RUNS}-run import file (once) …`);
  const services = createServices({ dataDir: dir, version: 'bench' });
  const { ids } = generateHistory(services.db, { runs: IMPORT_RUNS, seed: 7, idPrefix: 'imported-' });
  services.exporter.write(ids, 'json', `${path}.partial`, 'bench import');
  services.close();
  renameSync(`${path}.partial`, path);
  rmSync(dir, { recursive: true, force: true });
  return path;
}

async function waitFor(condition: () => boolean, timeoutMs = 600_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Loads main.js, fires ready, and resolves when the first IPC request has been answered. */
async function start(userData: string, openDialogPaths: string[] = []): Promise<{ fake: FakeElectron; ms: number }> {
  const fake = createFakeElectron({ userData, openDialogPaths });
  const started = performance.now();
  loadBuilt('main.js', fake, { env: { PARALLAX_LOG_ECHO: '0' } });
  fake.ready();
  await waitFor(() => fake.record.exitCode !== undefined || (fake.window?.webContents.mainFrame.url ?? '') !== '');
  if (fake.record.exitCode !== undefined) throw new Error(`start-up failed: ${JSON.stringify(fake.record.messageBoxes)}`);
  const answer = await fake.invoke('app:info', {});
  if (!answer.ok) throw new Error('app:info failed');
  return { fake, ms: performance.now() - started };
}

/**
 * bench/lib/startup-child.ts as one CommonJS file for plain Node. The fake electron finds the
 * project (and dist-electron) from its own folder, so its __dirname is kept as the source's.
 */
function buildStartupChild(dir: string): string {
  const support = resolve(__dirname, '..', 'tests', 'support');
  const outfile = join(dir, 'startup-child.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'lib', 'startup-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    define: { __dirname: JSON.stringify(support), __filename: JSON.stringify(join(support, 'fake-electron.ts')) },
  });
  return outfile;
}

interface ChildStart {
  ms: number;
  cpuMs: number;
  phases: { loadMainMs: number; readyToWindowMs: number; firstRequestMs: number };
}

/** One start in a fresh plain-Node process (no --import tsx); `cpuProfDir` adds --cpu-prof. */
function startInChild(child: string, userData: string, cpuProfDir?: string): ChildStart {
  const args = [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), child, userData];
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`start-up child failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ChildStart;
}

function stop(fake: FakeElectron): void {
  fake.app.quit();
  restoreElectron();
}

/**
 * Runs `channel` and, until it settles, sends an app:info call every 20 ms. A call is due at its
 * slot; its latency is from the slot to the answer, so a main thread blocked for 4 s counts as
 * every call due in those 4 s waiting, not as one slow sample (no coordinated omission).
 */
async function probeDuring(fake: FakeElectron, channel: string): Promise<{ latencies: number[]; ms: number; ok: boolean }> {
  const SLOT_MS = 20;
  const latencies: number[] = [];
  let done = false;
  const started = performance.now();
  const task = fake.invoke(channel, {}).finally(() => {
    done = true;
  });
  let slot = started;
  while (!done) {
    const wait = slot - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await fake.invoke('app:info', {});
    const answered = performance.now();
    // This call, and every call that fell due while it waited.
    while (slot <= answered) {
      latencies.push(answered - slot);
      slot += SLOT_MS;
    }
  }
  const result = await task;
  if (!result.ok) log(`${channel} failed: ${JSON.stringify(result.error)}`);
  return { latencies, ms: performance.now() - started, ok: result.ok };
}

async function main(): Promise<void> {
  ensureBuiltElectron();
  const source = cachedDatabase();
  const importPath = importFile();
  const userData = mkdtempSync(join(tmpdir(), 'parallax-bench-main-'));
  try {
    log(`copying the ${RUNS}-run database (${Math.round(statSync(source).size / 1e6)} MB) …`);
    copyFileSync(source, join(userData, 'parallax.db'));

    // Start-up, each in a fresh plain-Node process. The first start applies any migration newer
    // than the cached file; it is not measured.
    const childDir = mkdtempSync(join(tmpdir(), 'parallax-bench-startup-'));
    const child = buildStartupChild(childDir);
    startInChild(child, userData);
    const starts: ChildStart[] = [];
    for (let i = 0; i < STARTS; i += 1) starts.push(startInChild(child, userData));
    const startups = starts.map((s) => s.ms);
    const startupCpu = starts.map((s) => s.cpuMs);
    log(`start-up: ${startups.map((ms) => ms.toFixed(0)).join(', ')} ms wall; ${startupCpu.map((ms) => ms.toFixed(0)).join(', ')} ms CPU (load ${loadavg()[0]!.toFixed(2)})`);
    if (process.env.MAIN_BENCH_CPU_PROF === '1') {
      const profDir = join(childDir, 'prof');
      const profiled = startInChild(child, userData, profDir);
      const file = readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'))!;
      const summary = summarizeCpuProfile(join(profDir, file));
      log(`profiled start: ${profiled.ms.toFixed(0)} ms wall, ${profiled.cpuMs.toFixed(0)} ms CPU; profile ${summary.totalMs} ms (process start to exit)`);
      log(`self time by script:\n${summary.byScript.map((s) => `  ${s.selfMs.toFixed(1).padStart(7)} ms  ${s.script}`).join('\n')}`);
      log(`inclusive time by function:\n${summary.byFunction.map((f) => `  ${f.inclusiveMs.toFixed(1).padStart(7)} ms  ${f.fn}`).join('\n')}`);
      log(`profile kept in ${profDir}`);
    } else {
      rmSync(childDir, { recursive: true, force: true });
    }

    const { fake } = await start(userData, [importPath]);
    const tasks: [string, string][] = [
      ['check', 'data:check'],
      ['rebuild', 'data:rebuild-search'],
      ['import', 'import:file'],
    ];
    const all: number[] = [];
    const figures: Record<string, number> = {};
    for (const [name, channel] of tasks) {
      log(`${channel} …`);
      const { latencies, ms, ok } = await probeDuring(fake, channel);
      log(`${channel}: ${(ms / 1000).toFixed(1)} s, ${latencies.length} probes, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms${ok ? '' : ' (failed)'}`);
      all.push(...latencies);
      figures[`ipc_p95_ms_during_${name}`] = round(percentile(latencies, 95), 1);
      figures[`ipc_max_ms_during_${name}`] = round(Math.max(...latencies), 1);
      figures[`${name}_ms`] = round(ms, 0);
    }
    stop(fake);
    report(
      'main-responsiveness',
      {
        ipc_p95_ms_during_heavy: round(percentile(all, 95), 1),
        startup_ms: round(median(startups), 0),
        startup_cpu_ms: round(median(startupCpu), 0),
        startup_load_main_ms: round(median(starts.map((s) => s.phases.loadMainMs)), 0),
        startup_ready_to_window_ms: round(median(starts.map((s) => s.phases.readyToWindowMs)), 0),
        startup_first_request_ms: round(median(starts.map((s) => s.phases.firstRequestMs)), 1),
        load_avg_1m: round(loadavg()[0]!, 2),
        ...figures,
        runs: RUNS,
        rss_mb: round(process.memoryUsage().rss / 1e6, 0),
      },
      { ipc_p95_ms_during_heavy: '<= 50', startup_ms: '<= 1000' },
    );
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
