/**
 * bench/export-scale: exports and imports of a 10,000-run history of realistic size (two arms,
 * ~1 KB prompt and ~3 KB output each), through the streaming export and import the app uses.
 *
 * Figures:
 *   json_export_s   the JSON export of every run (what round-trips), seconds
 *   html_export_s   the HTML report of every run (no word differences: they are computed only
 *                   when asked, or for reports of up to 25 runs), seconds
 *   import_s        that JSON file imported into an empty history (checked and written, search
 *                   index included), seconds
 *   peak_mb         the highest resident memory of this process (RSS, sampled every 20 ms) during
 *                   the exports and the import, less nothing: the whole process, which does the
 *                   exports and the import (the history is generated beforehand in a child process)
 *   json_mb, html_mb  the files' sizes
 * Set EXPORT_BENCH_RUNS to try another size. The history is generated once per run (~1 min), in a
 * child process (bench/lib/generate-history-child.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServices } from '../electron/services';
import { report, round } from './lib/report';

const RUNS = Number(process.env.EXPORT_BENCH_RUNS ?? 10_000);

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [(performance.now() - started) / 1000, value];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-export-'));
  try {
    mkdirSync(join(dir, 'source'));
    mkdirSync(join(dir, 'target'));
    // The history is generated in a child process: this process's memory is then the export's
    // and the import's own (the generator's heap once counted ~270 MB of peak_mb here).
    const started = performance.now();
    const generated = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'lib', 'generate-history-child.ts'), join(dir, 'source'), String(RUNS)], { stdio: 'inherit' });
    if (generated.status !== 0) throw new Error(`generating the history failed (exit code ${generated.status})`);
    console.error(`generated ${RUNS} runs in ${((performance.now() - started) / 1000).toFixed(1)} s (child process)`);
    const source = createServices({ dataDir: join(dir, 'source'), version: 'bench' });
    const ids = source.history.resolveTarget({ runIds: source.db.prepare('SELECT id FROM runs').pluck().all() as string[] });

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const baseline = process.memoryUsage().rss;

    const jsonPath = join(dir, 'all.json');
    const [jsonSeconds, jsonRuns] = await timed(() => source.exporter.writeStream(ids, 'json', jsonPath, 'Everything'));
    const htmlPath = join(dir, 'all.html');
    const [htmlSeconds] = await timed(() => source.exporter.writeStream(ids, 'html', htmlPath, 'Everything'));
    source.close();

    const target = createServices({ dataDir: join(dir, 'target'), version: 'bench' });
    const [importSeconds, result] = await timed(() => target.exporter.importStream(jsonPath));
    const imported = target.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
    target.close();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (jsonRuns !== RUNS || result.report.imported !== RUNS || imported !== RUNS) {
      throw new Error(`round trip lost runs: exported ${jsonRuns}, imported ${result.report.imported}, stored ${imported} of ${RUNS}`);
    }
    console.error(`exported JSON in ${jsonSeconds.toFixed(1)} s, HTML in ${htmlSeconds.toFixed(1)} s, imported in ${importSeconds.toFixed(1)} s; RSS ${Math.round(baseline / 1048576)} MB before, ${Math.round(peak / 1048576)} MB at most`);

    report(
      'export-scale',
      {
        runs: RUNS,
        json_export_s: round(jsonSeconds, 2),
        html_export_s: round(htmlSeconds, 2),
        import_s: round(importSeconds, 2),
        peak_mb: round(peak / 1048576, 1),
        json_mb: round(statSync(jsonPath).size / 1048576, 1),
        html_mb: round(statSync(htmlPath).size / 1048576, 1),
      },
      { json_export_s: '<= 5', html_export_s: '<= 30', import_s: '<= 15', peak_mb: '<= 400' },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
