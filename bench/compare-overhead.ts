/**
 * bench/compare-overhead: what the comparison workspace adds on top of the model's own time.
 *
 * The fake Bedrock streams at a fixed pace: 300 ms to the first token, then 60 tokens/s, 300
 * tokens (one word per chunk), to two arms at once.
 *
 * ratio — the app's end-to-end time for a run divided by the fake's own time. End to end: from
 *   `runner.start()` (what the `compare:run` handler calls; the request leaves the app) to
 *   `run:finished` (both arms settled and saved in SQLite). The fake's own time: for each arm,
 *   from the moment the fake received the ConverseStream request to the moment it ended the
 *   stream (stamped by wrapping the fake's Exchange), the longer of the two arms. Real services
 *   (createServices: AWS SDK over HTTP/2, SQLite in a temp folder), median of REPEATS runs.
 *
 * paint_p95_ms — the delay from a text chunk leaving the fake to that text being painted in
 *   Chromium. Server side: every chunk write of the fake is stamped (Exchange.prototype.write is
 *   wrapped in this process; the first write is messageStart, the (i+1)-th write carries word i).
 *   Each word of the reply is a unique marker `mN`. Page side: a MutationObserver on the arm
 *   columns notes which markers are in the DOM after each mutation, then waits until the frame
 *   holding the mutation has been painted (the task after that frame's rendering update: when
 *   the mutation was made inside an animation-frame callback — the app applies deltas there —
 *   that is the current frame, otherwise the next; bench/lib/page-clock.ts) and stamps that
 *   time for the newly visible markers. Page stamps are moved onto Node's clock with an offset
 *   measured by round trips before each run (Node's and Chromium's `timeOrigin + now()` can
 *   differ by seconds on a machine whose monotonic clock drifted from the wall clock: that,
 *   not the app, is why this figure read 367–2,174 ms on some machines). The path measured is the whole
 *   app path: SDK decode → runner → delta coalescing (≤ 16 ms) → the harness's event bridge
 *   (page.evaluate, standing in for webContents.send) → per-frame delta batching → zustand
 *   store → React → incremental Markdown → paint.
 *   p95 over every chunk of both arms, over PAINT_REPEATS runs in the built renderer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExperimentConfig } from '../shared/domain';
import { createServices } from '../electron/services';
import type { RunSink } from '../electron/services/runner';
import { startFakeBedrock } from '../tests/support/fake-bedrock';
import { Exchange } from '../tests/support/fake-bedrock/exchange';
import type { ReceivedRequest } from '../tests/support/fake-bedrock/types';
import { closeBrowser, launchApp } from '../tests/support/harness';
import { useTestCredentials } from '../tests/support/test-credentials';
import { median, percentile, report, round } from './lib/report';
import { FRAME_FLAG_SCRIPT, pageClockOffset } from './lib/page-clock';

const TOKENS = 300;
const PACE = { firstTokenMs: 300, tokensPerSecond: 60, wordsPerChunk: 1 };
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const PAINT_REPEATS = Number(process.env.BENCH_PAINT_REPEATS ?? 3);
const REPLY = Array.from({ length: TOKENS }, (_, i) => `m${i}`).join(' ');
const wall = () => performance.timeOrigin + performance.now();

// ---- stamps on the fake's side ----
interface Stamped {
  record?: ReceivedRequest;
  receivedAt: number;
  writes: number[];
  endedAt?: number;
}
const exchanges: Stamped[] = [];
const stamps = new WeakMap<Exchange, Stamped>();
function stampOf(exchange: Exchange): Stamped {
  let stamp = stamps.get(exchange);
  if (!stamp) {
    stamp = { receivedAt: wall(), writes: [] };
    stamps.set(exchange, stamp);
    exchanges.push(stamp);
  }
  return stamp;
}
const { attach, write, end } = Exchange.prototype;
Exchange.prototype.attach = function (this: Exchange, record: ReceivedRequest) {
  stampOf(this).record = record;
  return attach.call(this, record);
};
Exchange.prototype.write = function (this: Exchange, bytes: Uint8Array) {
  stampOf(this).writes.push(wall());
  return write.call(this, bytes);
};
Exchange.prototype.end = function (this: Exchange, last?: string | Uint8Array) {
  stampOf(this).endedAt = wall();
  return end.call(this, last);
};

async function main(): Promise<void> {
  const restoreEnv = useTestCredentials();
  const fake = await startFakeBedrock({ pace: PACE, defaultReply: REPLY });

  const config: ExperimentConfig = {
    variables: [{ name: 'question', value: 'Who makes a better nurse?' }],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: {}, system: '', history: [], template: '${question}' },
      { mode: 'detached', label: 'Guarded', modelId: 'anthropic.claude-3-haiku-20240307-v1:0', inference: {}, system: 'Be fair.', history: [], template: 'Answer without bias: ${question}', steps: [] },
    ],
  };

  function streamsOfRun(): Stamped[] {
    return exchanges.filter((e) => e.record?.operation === 'ConverseStream');
  }

  // ---- ratio: the runner in Node ----
  const ratios: number[] = [];
  const appTimes: number[] = [];
  const fakeTimes: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-compare-'));
    const services = createServices({ dataDir: dir, version: 'bench' });
    services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
    exchanges.length = 0;
    try {
      let finishedAt = 0;
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      const sink: RunSink = (event) => {
        if (event === 'run:finished') {
          finishedAt = wall();
          finished();
        }
      };
      const started = wall();
      const run = services.runner.start({ experimentId: null, title: 'bench', config }, sink);
      await done;
      const stored = services.runs.get(run.id)!;
      if (stored.status !== 'completed' || stored.arms.some((a) => a.text !== REPLY)) throw new Error(`run did not complete cleanly: ${stored.status}`);
      const streams = streamsOfRun();
      if (streams.length !== 2) throw new Error(`expected 2 streams, saw ${streams.length}`);
      const fakeOwn = Math.max(...streams.map((s) => s.endedAt! - s.record!.receivedAt));
      appTimes.push(finishedAt - started);
      fakeTimes.push(fakeOwn);
      ratios.push((finishedAt - started) / fakeOwn);
    } finally {
      services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.error(
    `ratio: app ${appTimes.map((t) => t.toFixed(0)).join(', ')} ms; fake ${fakeTimes.map((t) => t.toFixed(0)).join(', ')} ms; ratios ${ratios.map((r) => r.toFixed(4)).join(', ')}`,
  );

  // ---- paint delay: the built renderer in Chromium ----
  // A production build of the renderer, always: tests/support/build-once may have left a build
  // made under vitest (NODE_ENV=test), i.e. React's development build, several times slower.
  const root = resolve(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const delays: number[] = [];
  const offsets: number[] = [];
  for (let repeat = 0; repeat < PAINT_REPEATS; repeat += 1) {
    exchanges.length = 0;
    const app = await launchApp({
      prepare: (services) => {
        services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
      },
    });
    try {
      const { page } = app;
      await page.evaluate(FRAME_FLAG_SCRIPT);
      const clock = await pageClockOffset(page);
      offsets.push(clock.offsetMs);
      await page.evaluate(`(() => {
        const painted = {};
        window.__painted = painted;
        const observer = new MutationObserver(() => {
          const fresh = [];
          for (const column of document.querySelectorAll('article.arm')) {
            const arm = column.dataset.armIndex ?? '?';
            const seen = (painted[arm] ??= []);
            const text = column.querySelector('.arm__body')?.textContent ?? '';
            const matches = text.match(/m\\d+/g) ?? [];
            for (const marker of matches) {
              const index = Number(marker.slice(1));
              if (seen[index] === undefined) {
                seen[index] = -1; // seen in the DOM, paint time pending
                fresh.push({ arm, index });
              }
            }
          }
          if (fresh.length === 0) return;
          window.__afterPaint((at) => {
            for (const { arm, index } of fresh) painted[arm][index] = at;
          });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      await page.getByRole('button', { name: 'New comparison' }).first().click();
      await page.getByRole('button', { name: /^Run/ }).click();
      await page.waitForFunction(
        () => [...document.querySelectorAll('article.arm')].every((a) => a.getAttribute('data-status') === 'completed'),
        undefined,
        { timeout: 60_000, polling: 200 },
      );
      await page.waitForTimeout(100);
      const painted = (await page.evaluate('window.__painted')) as Record<string, number[]>;
      const streams = streamsOfRun();
      if (streams.length !== 2) throw new Error(`expected 2 streams, saw ${streams.length}`);
      // both arms use the settings' generation model; the bias-guard arm's prompt tells them apart
      const armOf = (stream: Stamped) => (JSON.stringify(stream.record!.body).includes('free from bias') ? 1 : 0);
      streams.forEach((stream) => {
        const arm = armOf(stream);
        const pageTimes = painted[String(arm)] ?? [];
        for (let i = 0; i < TOKENS; i += 1) {
          const sentAt = stream.writes[i + 1];
          const paintedAt = pageTimes[i];
          if (sentAt === undefined || paintedAt === undefined || paintedAt < 0) throw new Error(`arm ${arm} word ${i}: missing stamp`);
          delays.push(paintedAt - clock.offsetMs - sentAt);
        }
      });
    } finally {
      await app.close();
    }
  }
  await closeBrowser();
  await fake.close();
  restoreEnv();
  console.error(`page clock − Node clock: ${offsets.map((o) => o.toFixed(1)).join(', ')} ms (corrected)`);
  console.error(`paint: ${delays.length} chunks; median ${median(delays).toFixed(1)} ms, p95 ${percentile(delays, 95).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms`);

  report(
    'compare-overhead',
    { ratio: round(median(ratios), 4), paint_p95_ms: round(percentile(delays, 95), 1), paint_median_ms: round(median(delays), 1), app_run_ms: round(median(appTimes), 0), fake_run_ms: round(median(fakeTimes), 0) },
    { ratio: '<= 1.05', paint_p95_ms: '<= 50' },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
