/**
 * bench/long-answers: four arms × 50 KB of Markdown streaming at 300 tokens/s each (one word per
 * chunk, the fake Bedrock), in the production build of the renderer in Chromium, through the
 * whole app path (SDK → runner → delta events → per-frame batching → incremental Markdown).
 *
 * final_paint_lag_ms — for each arm, from the moment the fake ended its stream to the moment the
 *   frame showing the arm's last words was painted; the worst arm (median over repeats). Page
 *   stamps are moved onto Node's clock (bench/lib/page-clock.ts).
 * longest_task_ms — the longest main-thread task of the page while the arms stream (Long Tasks
 *   API: tasks over 50 ms; 0 when there is none).
 * BENCH_PROFILE=<path>: also builds unminified and writes the page's CPU profile while the arms
 *   stream to <path>.<repeat>.cpuprofile (to find what a long task runs).
 * renderer_mb — peak resident memory (VmRSS) of the Chromium renderer process(es), sampled every
 *   half second through CDP SystemInfo.getProcessInfo and /proc/<pid>/status.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startFakeBedrock } from '../tests/support/fake-bedrock';
import { Exchange } from '../tests/support/fake-bedrock/exchange';
import type { ReceivedRequest } from '../tests/support/fake-bedrock/types';
import { closeBrowser, launchApp } from '../tests/support/harness';
import { longMarkdown } from '../tests/support/long-answers';
import { useTestCredentials } from '../tests/support/test-credentials';
import { FRAME_FLAG_SCRIPT, nodeWall, pageClockOffset } from './lib/page-clock';
import { median, report, round } from './lib/report';

const ARMS = 4;
const SIZE = 50_000;
const PACE = { firstTokenMs: 200, tokensPerSecond: 300, wordsPerChunk: 1 };
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);

const ended = new Map<number, number>();
const { attach, end } = Exchange.prototype;
const armOfExchange = new WeakMap<Exchange, number>();
Exchange.prototype.attach = function (this: Exchange, record: ReceivedRequest) {
  const match = /answer-(\d)/.exec(JSON.stringify(record.body ?? ''));
  if (match && record.operation === 'ConverseStream') armOfExchange.set(this, Number(match[1]));
  return attach.call(this, record);
};
Exchange.prototype.end = function (this: Exchange, last?: string | Uint8Array) {
  const arm = armOfExchange.get(this);
  if (arm !== undefined) ended.set(arm, nodeWall());
  return end.call(this, last);
};

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function rendererMb(page: Page): Promise<number> {
  const session = await page.context().browser()!.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    return Math.max(0, ...info.processInfo.filter((p) => p.type === 'renderer').map((p) => rssMb(p.id)));
  } finally {
    await session.detach();
  }
}

const PROBE = (arms: number) => `(() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  const done = {};
  window.__ends = done;
  const lastText = (node) => {
    while (node && node.lastChild) node = node.lastChild;
    return node && node.nodeType === 3 ? node.nodeValue : '';
  };
  const observer = new MutationObserver(() => {
    for (let arm = 0; arm < ${arms}; arm += 1) {
      if (done[arm] !== undefined) continue;
      const body = document.querySelector('article.arm[data-arm-index="' + arm + '"] .arm__body .markdown');
      if (!body) continue;
      // the last words sit in the last paragraph; the cheap check first, a full one to confirm
      const tail = lastText(body.lastElementChild ?? body) ?? '';
      if (!tail.includes('END-OF-ARM-' + arm)) continue;
      done[arm] = -1;
      window.__afterPaint((at) => { done[arm] = at; });
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

async function main(): Promise<void> {
  const restoreEnv = useTestCredentials();
  const fake = await startFakeBedrock({ pace: PACE });
  const replies = Array.from({ length: ARMS }, (_, arm) => longMarkdown(arm, SIZE));
  replies.forEach((text, arm) => fake.on({ prompt: `answer-${arm}`, reply: { text }, pace: PACE }));

  const root = resolve(__dirname, '..');
  const profileTo = process.env.BENCH_PROFILE;
  const viteArgs = ['build', '--logLevel', 'error', ...(profileTo ? ['--minify', 'false'] : [])];
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), ...viteArgs], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  const lags: number[] = [];
  const longest: number[] = [];
  const memory: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    ended.clear();
    const app = await launchApp({
      prepare: (services) => {
        services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
      },
    });
    try {
      const { page } = app;
      await page.evaluate(FRAME_FLAG_SCRIPT);
      const clock = await pageClockOffset(page);
      await page.getByRole('button', { name: 'New comparison' }).first().click();
      for (let i = 2; i < ARMS; i += 1) await page.getByRole('button', { name: /Add arm/ }).click();
      // mitigated arms follow the baseline's prompt: detach each into a variant with its own
      const detach = page.getByRole('button', { name: 'Detach as a variant' });
      for (let i = 1; i < ARMS; i += 1) {
        await page.waitForFunction((n) => document.querySelectorAll('button').length > 0 && [...document.querySelectorAll('button')].filter((b) => b.textContent?.trim() === 'Detach as a variant').length === n, ARMS - i);
        await detach.first().click();
      }
      const prompts = page.locator('textarea[aria-label$=" prompt"]:not([aria-label$="system prompt"])');
      for (let i = 0; i < ARMS; i += 1) await prompts.nth(i).fill(`Describe a typical nurse, answer-${i}.`);
      await page.evaluate(PROBE(ARMS));
      let peak = await rendererMb(page);
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await rendererMb(page));
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      const profiler = profileTo ? await page.context().newCDPSession(page) : null;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
        await profiler.send('Profiler.start');
      }
      await page.getByRole('button', { name: /^Run/ }).click();
      await page.waitForFunction(
        (arms) => {
          const ends = (window as unknown as { __ends: Record<number, number> }).__ends;
          return Array.from({ length: arms }, (_, arm) => ends[arm] ?? -1).every((at) => at > 0);
        },
        ARMS,
        { timeout: 600_000, polling: 250 },
      );
      sampling = false;
      await sampler;
      if (profiler && profileTo) {
        const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(`${profileTo}.${repeat + 1}.cpuprofile`, JSON.stringify(profile));
        await profiler.detach();
      }
      const ends = (await page.evaluate('window.__ends')) as Record<number, number>;
      const longestTask = (await page.evaluate('window.__longest')) as number;
      const runId = (await page.getByRole('status', { name: 'Run status' }).getAttribute('data-run-id'))!;
      await page.waitForFunction(() => document.querySelectorAll('article.arm[data-status="completed"]').length === 4, undefined, { timeout: 60_000 });
      const saved = app.services.runs.get(runId)!;
      if (saved.arms.some((arm, index) => arm.text !== replies[index])) throw new Error('an arm was saved incomplete');
      const perArm = Array.from({ length: ARMS }, (_, arm) => ends[arm]! - clock.offsetMs - ended.get(arm)!);
      console.error(
        `repeat ${repeat + 1}: lag per arm ${perArm.map((l) => l.toFixed(0)).join(', ')} ms; longest task ${longestTask.toFixed(0)} ms; renderer peak ${peak.toFixed(0)} MB; clock offset ${clock.offsetMs.toFixed(1)} ms`,
      );
      lags.push(Math.max(...perArm));
      longest.push(longestTask);
      memory.push(peak);
    } finally {
      await app.close();
    }
  }
  await closeBrowser();
  await fake.close();
  restoreEnv();
  report(
    'long-answers',
    { final_paint_lag_ms: round(median(lags), 0), longest_task_ms: round(Math.max(...longest), 0), renderer_mb: round(Math.max(...memory), 0) },
    { final_paint_lag_ms: '<= 250', longest_task_ms: '<= 100', renderer_mb: '<= 400' },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
