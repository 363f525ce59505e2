/**
 * A stored image comparison of 4 arms × 8 samples reopened from History in Chromium, over the
 * real handler table and image files: how many round trips the run costs to open, and how many
 * full-size images the lightbox keeps while a reviewer steps through them.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { solidPng } from '../support/fake-bedrock/png';
import { storeFinishedRun } from '../support/score-fixtures';

const ARMS = 4;
const SAMPLES = 8;
const colourOf = (arm: number, sample: number): [number, number, number] => [40 + arm * 60, 20 + sample * 28, 200];

let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => closeBrowser());

async function launchWithGallery(): Promise<AppHarness> {
  const harness = await launchApp({
    async prepare(services) {
      const runId = storeFinishedRun(services.runs, Array.from({ length: ARMS }, () => ''), { title: 'A doctor, 4 arms × 8 samples' });
      for (let arm = 0; arm < ARMS; arm += 1) {
        for (let sample = 0; sample < SAMPLES; sample += 1) {
          const stored = services.images.add(runId, arm, solidPng(1024, 1024, colourOf(arm, sample)), { position: sample, seed: 42 + sample });
          await services.images.prepareThumbnail(stored.hash);
        }
      }
    },
  });
  await harness.page.getByRole('button', { name: /History/ }).first().click();
  return harness;
}

const shownThumbnails = (harness: AppHarness) =>
  harness.page
    .getByRole('region', { name: 'Image comparison' })
    .locator('img')
    .evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length);

/** The lightbox picture once drawn: which image, and the colour at its centre. */
async function drawnPicture(harness: AppHarness): Promise<{ hash: string; rgb: number[] } | null> {
  return harness.page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('.lightbox canvas[data-drawn]:not([hidden])');
    if (!canvas) return null;
    const pixel = canvas.getContext('2d')!.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
    return { hash: canvas.dataset.drawn!, rgb: [pixel[0]!, pixel[1]!, pixel[2]!] };
  });
}

describe('an image comparison reopened from History', () => {
  it('opens 4 arms × 8 images with a handful of round trips: the thumbnails in batches, the scores once', async () => {
    app = await launchWithGallery();
    const option = app.page.getByRole('listbox', { name: 'Runs' }).getByRole('option').first();
    await option.waitFor({ timeout: 30_000 });
    const before = app.calls.length;
    await option.click();
    await expect.poll(() => shownThumbnails(app!), { timeout: 60_000 }).toBe(ARMS * SAMPLES);

    const channels = app.calls.slice(before).map((call) => String(call.channel));
    const count = (channel: string) => channels.filter((c) => c === channel).length;
    expect(count('history:get')).toBe(1);
    expect(count('images:thumbnails')).toBe(Math.ceil((ARMS * SAMPLES) / 8));
    expect(count('scores:get')).toBe(1);
    expect(count('images:full')).toBe(0);
    expect(count('batches:for-run')).toBe(1); // is this run one sample of a repeated comparison?
    // history:get, batches:for-run, images:categories, images:annotations, scores:get, 4 × images:thumbnails
    expect(channels.length).toBeLessThanOrEqual(9);
    // every thumbnail is a small picture, not the 1024² original
    const widths = await app.page.getByRole('region', { name: 'Image comparison' }).locator('img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    expect(new Set(widths)).toEqual(new Set([256]));
  });

  it('steps through 8 full-size images in the lightbox, each drawn in its own colours, keeping only the last two', async () => {
    app = await launchWithGallery();
    await app.page.getByRole('listbox', { name: 'Runs' }).getByRole('option').first().click();
    await expect.poll(() => shownThumbnails(app!), { timeout: 60_000 }).toBe(ARMS * SAMPLES);
    const fullCalls = () => app!.calls.filter((call) => call.channel === 'images:full').length;

    await app.page.getByRole('button', { name: /^Open Baseline, image 1,/ }).click();
    const seen: string[] = [];
    const expectDrawn = async (sample: number) => {
      await expect
        .poll(async () => {
          const picture = await drawnPicture(app!);
          return picture && !seen.slice(-1).includes(picture.hash) ? picture.rgb : null;
        }, { timeout: 30_000, message: `image ${sample + 1}` })
        .toEqual(colourOf(0, sample));
      seen.push((await drawnPicture(app!))!.hash);
    };
    for (let sample = 0; sample < SAMPLES; sample += 1) {
      await expectDrawn(sample);
      if (sample === 0) await app.page.screenshot({ path: join(SCREENSHOTS, 'images-lightbox-canvas.png') });
      await app.page.getByRole('button', { name: 'Next image' }).click();
    }
    // Next from Baseline's 8th image went on to the next arm's first; back to the 8th and the 7th.
    await expect.poll(() => drawnPicture(app!).then((p) => p?.rgb), { timeout: 30_000 }).toEqual(colourOf(1, 0));
    const afterAll9 = fullCalls();
    expect(afterAll9).toBe(SAMPLES + 1);
    seen.length = 0;
    await app.page.getByRole('button', { name: 'Previous image' }).click();
    await expectDrawn(SAMPLES - 1);
    expect(fullCalls(), 'the image shown just before is kept').toBe(afterAll9);
    await app.page.getByRole('button', { name: 'Previous image' }).click();
    await expectDrawn(SAMPLES - 2);
    expect(fullCalls(), 'an image three steps back was let go, so it is fetched again').toBe(afterAll9 + 1);
    // the lightbox draws into one canvas; no full-size <img> is left holding a decoded bitmap
    expect(await app.page.locator('.lightbox img').count()).toBe(0);
    expect(await app.page.locator('.lightbox canvas').count()).toBe(1);
  });
});
