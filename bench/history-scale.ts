/**
 * bench/history-scale: the history at 100,000 runs of realistic size (two arms, ~1 KB prompt and
 * ~3 KB output each), generated in one transaction through the real search-index triggers.
 *
 * Figures (medians unless p95):
 *   search_p95_ms  p95 over varied searches (common, rare, prefix-while-typing, phrases, OR, exclusions,
 *                  combined with filters), each returning the first page with snippets and a total
 *   first_page_ms  the unfiltered first page (newest first, with the total count)
 *   open_run_ms    a run with its arms and history metadata (what history:get returns)
 *   search_shapes_p95_ms  p95 over the shapes issue 15 names: a 3-letter prefix of a common word, a common
 *                  word with status/model/rating filters (alone and combined), a phrase of common words,
 *                  a rare word that exists — each the first page with snippets and a total
 *                  (after the app's background merge of the search index has run; _fragmented_p95_ms:
 *                  the same shapes on the index as generated, before it; search_compact_s: that merge)
 *   facets_ms      history:facets warm (median of 30), as the sidebar asks on every open, star or delete
 *   insert_ms      one run written the way the runner writes it (create, two arm results, finish),
 *                  search index included, on the 100k database; insert_p95_ms its p95. The text is
 *                  realistic: drawn from the history's own vocabulary (hundreds of distinct words per
 *                  run, new words too), so the full-text index merges as it does for real answers.
 *                  insert_cpu_p95_ms: the same inserts' p95 in CPU time of this process (robust to a busy
 *                  machine, where the wall time mostly measures waiting for a core); no target of its own
 *   renderer_process_mb  the renderer PROCESS's resident memory (VmRSS of the renderer pid, found with
 *                  CDP SystemInfo.getProcessInfo) after scrolling the list end to end and back to the top
 *   renderer_mb    the renderer's JS heap as the app lives with it: the highest JSHeapUsedSize
 *                  (CDP Performance.getMetrics) sampled every 10 scroll steps, and at the end, while
 *                  the whole list is scrolled to the end in Chromium (every page loaded through the
 *                  real handler table), with NO forced GC — garbage the app leaves counts, since a
 *                  real renderer carries it until V8 decides to collect. renderer_gc_mb is the
 *                  same heap after a forced GC (what is actually retained), for comparison only.
 *   db_mb          the database file (plus WAL) on disk
 * Set HISTORY_BENCH_RUNS to try another size.
 *
 * Generating 100k runs takes minutes, so the generated database is cached in
 * os.tmpdir()/parallax-bench-history-cache-<GENERATOR_VERSION>-<runs>/ and copied into a fresh data
 * directory for every bench run (the bench writes runs, and the app may migrate it). Bump
 * GENERATOR_VERSION whenever the generator or the ratings below change; set
 * HISTORY_BENCH_FRESH=1 to regenerate. Migrations newer than the cached file run on open.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryListRequest } from '../shared/contract/history';
import { ExperimentConfig } from '../shared/domain';
import { createServices } from '../electron/services';
import { generateHistory, LABS, MODELS } from '../tests/support/history-fixtures';
import buildOnce from '../tests/support/build-once';
import { closeBrowser, launchApp } from '../tests/support/harness';
import { median, percentile, report, round } from './lib/report';
import { rendererProcessMb } from './lib/renderer-memory';

const RUNS = Number(process.env.HISTORY_BENCH_RUNS ?? 100_000);
const GENERATOR_VERSION = 4;

/** Human ratings on ~1 run in 7 (deterministic), so the rating filters have something to find. */
function rateSome(db: ReturnType<typeof createServices>['db']) {
  db.exec(`
    INSERT INTO arm_ratings (run_id, arm_index, thumb, stars, updated_at)
    SELECT r.id, a.arm_index,
      CASE (r.rowid + a.arm_index) % 3 WHEN 0 THEN 1 WHEN 1 THEN -1 ELSE NULL END,
      CASE WHEN (r.rowid + a.arm_index) % 2 = 0 THEN 1 + (r.rowid / 7 + a.arm_index) % 5 ELSE NULL END,
      r.started_at
    FROM runs r JOIN arm_outputs a ON a.run_id = r.id
    WHERE r.rowid % 7 = 0 AND ((r.rowid + a.arm_index) % 3 != 2 OR (r.rowid + a.arm_index) % 2 = 0)`);
}

/** The generated database (cached across bench runs, see above), copied into dataDir. */
function prepareDatabase(dataDir: string): number {
  const cacheDir = join(tmpdir(), `parallax-bench-history-cache-${GENERATOR_VERSION}-${RUNS}`);
  const cached = join(cacheDir, 'parallax.db');
  let generateMs = 0;
  if (process.env.HISTORY_BENCH_FRESH === '1' || !existsSync(cached)) {
    const buildDir = mkdtempSync(join(tmpdir(), 'parallax-bench-history-build-'));
    const services = createServices({ dataDir: buildDir, version: 'bench' });
    [generateMs] = time(() => {
      generateHistory(services.db, { runs: RUNS });
      rateSome(services.db);
    });
    services.db.pragma('wal_checkpoint(TRUNCATE)');
    services.close();
    console.error(`generated ${RUNS} runs in ${(generateMs / 1000).toFixed(1)} s (cached in ${cacheDir})`);
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    renameSync(join(buildDir, 'parallax.db'), cached);
    rmSync(buildDir, { recursive: true, force: true });
  } else {
    console.error(`reusing the generated history in ${cacheDir}`);
  }
  copyFileSync(cached, join(dataDir, 'parallax.db'));
  return generateMs;
}

function time<T>(work: () => T): [number, T] {
  const started = performance.now();
  const value = work();
  return [performance.now() - started, value];
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'parallax-bench-history-'));
  try {
    const generateMs = prepareDatabase(dataDir);

    // A cold start, as when the app opens: the first page is measured once cold, then warm.
    const services = createServices({ dataDir, version: 'bench' });
    const list = (request: HistoryListRequest) => services.history.list(HistoryListRequest.parse(request));
    const [coldFirstPage] = time(() => list({}));
    const firstPage: number[] = [];
    for (let i = 0; i < 15; i += 1) firstPage.push(time(() => list({}))[0]);

    const queries: HistoryListRequest[] = [
      { filter: { query: 'nurse' } },
      { filter: { query: 'the' } },
      { filter: { query: 'candidate people' } },
      { filter: { query: 'kalomi' } },
      { filter: { query: 'ka' } },
      { filter: { query: 'cand' } },
      { filter: { query: 'nur' } },
      { filter: { query: '"better pilot"' } },
      { filter: { query: 'pilot OR teacher' } },
      { filter: { query: 'engineer -nurse' } },
      { filter: { query: 'xylophonist' } },
      { filter: { query: 'surgeon', statuses: ['completed'] } },
      { filter: { query: 'loan', models: [MODELS[2]] } },
      { filter: { query: 'farmer', labs: [LABS[1]] } },
      { filter: { query: 'refugee', starred: true } },
      { filter: { query: 'tenant' }, sort: 'oldest' },
      { filter: { statuses: ['failed'] } },
      { filter: { models: [MODELS[3]] } },
      { filter: { techniques: ['counterfactual'] } },
      { filter: { starred: true } },
    ];
    // The shapes issue 15 names, with a rare word that exists (from the index's own vocabulary).
    const rare = services.db
      .prepare("SELECT term FROM history_vocab WHERE doc BETWEEN 3 AND 40 AND length(term) >= 5 ORDER BY term LIMIT 1")
      .pluck()
      .get() as string | undefined;
    const shapes: HistoryListRequest[] = [
      { filter: { query: 'can' } },
      { filter: { query: 'peo' } },
      { filter: { query: 'sho' } },
      { filter: { query: 'the', statuses: ['failed'] } },
      { filter: { query: 'the', models: [MODELS[1]] } },
      { filter: { query: 'the', rating: 'up' } },
      { filter: { query: 'the', minStars: 4 } },
      { filter: { query: 'candidate', rating: 'unrated' } },
      { filter: { query: 'the', statuses: ['completed'], models: [MODELS[2]], rating: 'rated' } },
      { filter: { query: 'people', statuses: ['completed', 'failed'], models: [MODELS[0], MODELS[1]], minStars: 3 } },
      { filter: { query: '"the candidate"' } },
      { filter: { query: '"people should"' } },
      { filter: { query: 'should be the ' } },
      { filter: { query: rare ?? 'kalobrolo' } },
      { filter: { query: 'k' } },
      { filter: { query: '"' } },
    ];
    const timeShapes = () => {
      for (const query of shapes) list(query);
      const times: number[] = [];
      for (let round_ = 0; round_ < 5; round_ += 1) for (const query of shapes) times.push(time(() => list(query))[0]);
      return times;
    };
    // As generated, the search index is in the segments FTS5's automerge leaves (~20 at 100k);
    // the app merges them in the background (store job 'search-compact', every 30 s while there
    // is work, in short slices). The shapes are timed both ways; search_shapes_p95_ms is the
    // index as the app keeps it, after the same job has run to the end.
    const fragmentedShapeTimes = timeShapes();
    const compactStarted = performance.now();
    let compacted = await services.jobs.compactSearch(60_000);
    while (compacted.more) compacted = await services.jobs.compactSearch(60_000);
    const compactSeconds = (performance.now() - compactStarted) / 1000;
    console.error(`search index merged in the background job: ${compacted.before} -> ${compacted.after} segments in ${compactSeconds.toFixed(1)} s`);
    const shapeTimes = timeShapes();
    services.history.facets();
    const facetTimes: number[] = [];
    for (let i = 0; i < 30; i += 1) facetTimes.push(time(() => services.history.facets())[0]);

    for (const query of queries) list(query); // warm the statements
    const searchTimes: number[] = [];
    for (let round_ = 0; round_ < 5; round_ += 1) for (const query of queries) searchTimes.push(time(() => list(query))[0]);
    const relevance = time(() => list({ filter: { query: 'nurse candidate' }, sort: 'relevance' }))[0];

    const ids = services.db.prepare('SELECT id FROM runs ORDER BY random() LIMIT 200').pluck().all() as string[];
    const openTimes = ids.map((id) => time(() => ({ run: services.runs.get(id), meta: services.history.meta(id) }))[0]);

    const legacyArms = [
      { label: 'Baseline', technique: 'plain', modelId: MODELS[0], inference: {}, system: '', history: [], template: 'Q' },
      { label: 'Mitigated', technique: 'bias-guard', modelId: MODELS[0], inference: {}, system: 'Be fair.', history: [], template: 'Q' },
    ];
    const config = ExperimentConfig.parse({ variables: [], arms: legacyArms });
    // Realistic text: words drawn from the index's vocabulary (Zipf-like: common words often,
    // rare ones now and then) plus a few new words per run, ~1 KB prompt and ~3 KB per answer.
    const vocabulary = services.db.prepare('SELECT term FROM history_vocab ORDER BY doc DESC LIMIT 5000').pluck().all() as string[];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const prose = (bytes: number) => {
      const words: string[] = [];
      let length = 0;
      while (length < bytes) {
        const word = random() < 0.02 ? `new${Math.floor(random() * 1e9).toString(36)}` : vocabulary[Math.floor(vocabulary.length * random() ** 2.5)]!;
        words.push(word);
        length += word.length + 1;
      }
      return words.join(' ');
    };
    const insertTimes: number[] = [];
    const insertCpu: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const question = `Who makes the better nurse? ${prose(1024)}`;
      const output = prose(3072);
      const second = prose(3072);
      const cpuBefore = process.cpuUsage();
      insertTimes.push(
        time(() => {
          const id = services.runs.create({
            experimentId: null,
            title: `Bench insert ${i}`,
            config,
            arms: legacyArms.map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: { system: arm.system, messages: [{ role: 'user' as const, text: question }], inference: {} } })),
          });
          services.runs.updateArm(id, 0, { text: output, status: 'completed', outputTokens: 400 });
          services.runs.updateArm(id, 1, { text: second, status: 'completed', outputTokens: 400 });
          services.runs.finish(id, 'completed');
        })[0],
      );
      const cpu = process.cpuUsage(cpuBefore);
      insertCpu.push((cpu.user + cpu.system) / 1000);
    }
    const dbBytes = statSync(join(dataDir, 'parallax.db')).size + (statSync(join(dataDir, 'parallax.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
    const total = services.history.facets().live;
    services.close();

    // The renderer: scroll the whole list in Chromium and read the JS heap.
    buildOnce();
    const app = await launchApp({ dataDir });
    const cdp = await app.page.context().newCDPSession(app.page);
    await cdp.send('Performance.enable');
    const heapMb = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
    };
    await app.page.getByRole('button', { name: /History/ }).first().click();
    const listbox = app.page.getByRole('listbox', { name: 'Runs' });
    await listbox.waitFor();
    const scrollStarted = performance.now();
    let peak = 0;
    let loaded = 0;
    for (let step = 0; loaded < total && step < 100_000; step += 1) {
      loaded = await listbox.evaluate(async (element) => {
        element.scrollTop = element.scrollHeight;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return Math.round((element.scrollHeight - 0) / 104);
      });
      if (step % 10 === 0) {
        const heap = await heapMb();
        peak = Math.max(peak, heap);
        if (step % 50 === 0) console.error(`scrolled ~${loaded} rows, heap ${heap.toFixed(1)} MB`);
      }
    }
    // And back to the top, as a person scrolling up again (evicted pages come back from the database).
    for (let step = 0; step < 100_000; step += 1) {
      const top = await listbox.evaluate(async (element) => {
        element.scrollTop = Math.max(0, element.scrollTop - element.clientHeight * 40);
        await new Promise((resolve) => setTimeout(resolve, 30));
        return element.scrollTop;
      });
      if (step % 10 === 0) peak = Math.max(peak, await heapMb());
      if (top === 0) break;
    }
    const scrollSeconds = (performance.now() - scrollStarted) / 1000;
    peak = Math.max(peak, await heapMb());
    const rendererMbAfterScroll = await rendererProcessMb(app.page);
    await cdp.send('HeapProfiler.collectGarbage');
    const rendererGcMb = await heapMb();
    const rowsInDom = await app.page.evaluate(() => document.querySelectorAll('[data-run-id]').length);
    await app.close();
    await closeBrowser();
    console.error(`scrolled the whole list (${loaded} rows, ${rowsInDom} rows in the DOM) in ${scrollSeconds.toFixed(1)} s; relevance sort ${relevance.toFixed(1)} ms; cold first page ${coldFirstPage.toFixed(1)} ms`);

    report(
      'history-scale',
      {
        runs: total,
        search_p95_ms: round(percentile(searchTimes, 95), 2),
        search_median_ms: round(median(searchTimes), 2),
        first_page_ms: round(median(firstPage), 2),
        first_page_cold_ms: round(coldFirstPage, 2),
        open_run_ms: round(median(openTimes), 3),
        insert_ms: round(median(insertTimes), 3),
        insert_p95_ms: round(percentile(insertTimes, 95), 3),
        insert_cpu_p95_ms: round(percentile(insertCpu, 95), 3),
        search_shapes_p95_ms: round(percentile(shapeTimes, 95), 2),
        search_shapes_median_ms: round(median(shapeTimes), 2),
        search_shapes_fragmented_p95_ms: round(percentile(fragmentedShapeTimes, 95), 2),
        search_compact_s: round(compactSeconds, 1),
        facets_ms: round(median(facetTimes), 3),
        renderer_process_mb: round(rendererMbAfterScroll, 1),
        relevance_sort_ms: round(relevance, 1),
        renderer_mb: round(peak, 1),
        renderer_gc_mb: round(rendererGcMb, 1),
        db_mb: round(dbBytes / 1024 / 1024, 1),
        generate_s: round(generateMs / 1000, 1),
      },
      {
        search_p95_ms: '<= 50',
        search_shapes_p95_ms: '<= 50',
        facets_ms: '<= 30',
        first_page_ms: '<= 100',
        open_run_ms: '<= 50',
        insert_ms: '<= 2',
        insert_p95_ms: '<= 5',
        renderer_mb: '<= 200',
        renderer_process_mb: '<= 400',
      },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
