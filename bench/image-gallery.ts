/**
 * bench/image-gallery: a run of 4 arms × 8 samples of 1024×1024 PNGs (photo-like noise, ~1.5 MB
 * each, as image models return) reopened from History in the built renderer.
 *
 * Figures:
 *   first_paint_ms  from clicking the run in History to its first thumbnail decoded and painted
 *                   (median of 5 reopenings, each after a reload so nothing is cached in the page)
 *   all_thumbs_ms   the same, to the 32nd thumbnail
 *   open_run_ms     the same, to the gallery's frame on screen (the run's detail, before any image)
 *   renderer_mb     the renderer PROCESS's resident memory in a fresh browser after the run was opened,
 *                   its gallery painted and 8 full-size images shown in the lightbox (a user's visit)
 *   renderer_mb_after_reloads  the same after the five timed reopenings (each after a reload) as well
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { createServices } from '../electron/services';
import buildOnce from '../tests/support/build-once';
import { closeBrowser, launchApp } from '../tests/support/harness';
import { storeFinishedRun } from '../tests/support/score-fixtures';
import { rendererProcessMb } from './lib/renderer-memory';
import { median, report, round } from './lib/report';

const ARMS = 4;
const SAMPLES = 8;
const SIDE = 1024;

/** A PNG that compresses like a photograph: smooth colour fields plus grain. */
function photoLikePng(seed: number): Buffer {
  const png = new PNG({ width: SIDE, height: SIDE });
  let state = seed * 2654435761 || 1;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 24;
  };
  for (let y = 0; y < SIDE; y += 1) {
    for (let x = 0; x < SIDE; x += 1) {
      const i = (y * SIDE + x) * 4;
      png.data[i] = (x * 255) / SIDE + noise();
      png.data[i + 1] = (y * 255) / SIDE + noise();
      png.data[i + 2] = ((x + y + seed * 97) % 255) + noise();
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png, { deflateLevel: 6 });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'parallax-bench-gallery-'));
  try {
    const services = createServices({ dataDir, version: 'bench' });
    const runId = storeFinishedRun(services.runs, Array.from({ length: ARMS }, () => ''), { title: 'A doctor, 4 arms × 8 samples' });
    let bytes = 0;
    for (let arm = 0; arm < ARMS; arm += 1) {
      for (let sample = 0; sample < SAMPLES; sample += 1) {
        const png = photoLikePng(arm * SAMPLES + sample + 1);
        bytes += png.length;
        const stored = services.images.add(runId, arm, png, { position: sample, seed: 42 + sample });
        await services.images.prepareThumbnail(stored.hash);
      }
    }
    services.close();
    console.error(`stored ${ARMS * SAMPLES} images, ${(bytes / 1024 / 1024).toFixed(1)} MB`);

    buildOnce();

    // A user's visit, in a fresh browser: open the run, see the gallery, step through 8 full-size
    // images in the lightbox; then the renderer process's memory.
    let app = await launchApp({ dataDir });
    await openRun(app.page);
    await stepThroughLightbox(app.page, 8);
    const rendererMb = await rendererProcessMb(app.page);
    await app.close();
    await closeBrowser();

    // Timings: the run reopened after a reload, five times (nothing cached in the page).
    app = await launchApp({ dataDir });
    const { page } = app;
    const firstPaint: number[] = [];
    const allThumbs: number[] = [];
    const openRunMs: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      await page.reload();
      const times = await openRun(page);
      openRunMs.push(times.open);
      firstPaint.push(times.first);
      allThumbs.push(times.all);
    }
    await stepThroughLightbox(page, 8);
    const afterReloadsMb = await rendererProcessMb(page);
    await app.close();
    await closeBrowser();
    report(
      'image-gallery',
      {
        open_run_ms: round(median(openRunMs), 1),
        first_paint_ms: round(median(firstPaint), 1),
        all_thumbs_ms: round(median(allThumbs), 1),
        renderer_mb: round(rendererMb, 1),
        renderer_mb_after_reloads: round(afterReloadsMb, 1),
      },
      { first_paint_ms: '<= 300', renderer_mb: '<= 300' },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Opens the first run in History; times (ms from the click) to the gallery, its first and its last thumbnail painted. */
async function openRun(page: Page): Promise<{ open: number; first: number; all: number }> {
  await page.getByRole('button', { name: /History/ }).first().click();
  const option = page.getByRole('listbox', { name: 'Runs' }).getByRole('option').first();
  await option.waitFor({ timeout: 60_000 });
  const started = performance.now();
  await option.click();
  await page.waitForFunction(() => document.querySelector('.gallery') !== null, null, { polling: 'raf', timeout: 60_000 });
  const open = performance.now() - started;
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.gallery img')].some((img) => img.complete && img.naturalWidth > 0), null, { polling: 'raf', timeout: 60_000 });
  const first = performance.now() - started;
  await page.waitForFunction((n) => [...document.querySelectorAll<HTMLImageElement>('.gallery img')].filter((img) => img.complete && img.naturalWidth > 0).length >= n, ARMS * SAMPLES, { polling: 'raf', timeout: 120_000 });
  return { open, first, all: performance.now() - started };
}

/** Opens the lightbox on the baseline's first image and steps through `count` full-size images, each drawn. */
async function stepThroughLightbox(page: Page, count: number): Promise<void> {
  await page.getByRole('button', { name: /^Open Baseline, image 1/ }).click();
  let previous: string | null = null;
  for (let i = 0; i < count; i += 1) {
    const drawn = await page.waitForFunction((before) => {
      const picture = document.querySelector<HTMLCanvasElement>('.lightbox canvas[data-drawn]:not([hidden])');
      return picture && picture.dataset.drawn !== before && picture.dataset.naturalWidth === '1024' ? picture.dataset.drawn : null;
    }, previous, { timeout: 60_000 });
    previous = (await drawn.jsonValue()) as string;
    await page.getByRole('button', { name: 'Next image' }).click();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
