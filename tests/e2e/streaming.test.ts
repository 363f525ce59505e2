/**
 * Long answers streaming in four columns (issue 15), in Chromium on the built renderer with the
 * real handler table, runner, AWS SDK and the fake Bedrock: the text shown at the end is the
 * whole answer, rendered exactly as a one-shot render of the saved text; an answer past the
 * Markdown size limit is shown as plain text with a note; invisible characters show as labels.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type AppHarness } from '../support/harness';
import { longMarkdown } from '../support/long-answers';
import { useAppAgainstFake } from '../support/app-against-fake';

const env = useAppAgainstFake();
const launch = env.launch;
let app: AppHarness | undefined;

const columns = (page: Page) => page.locator('article.arm');
const statuses = (page: Page) => columns(page).evaluateAll((arms) => arms.map((a) => a.getAttribute('data-status')));
const markdownHtml = (page: Page) => columns(page).evaluateAll((arms) => arms.map((a) => a.querySelector('.arm__body .markdown')?.innerHTML ?? ''));

/** New comparison with `count` arms; each arm's prompt names it, so a fake rule can answer it. */
async function fourArms(page: Page, count = 4) {
  await page.getByRole('button', { name: 'New comparison' }).first().click();
  for (let i = 2; i < count; i += 1) await page.getByRole('button', { name: /Add arm/ }).click();
  // mitigated arms follow the baseline's prompt: detach them into variants with prompts of their own
  const detach = page.getByRole('button', { name: 'Detach as a variant' });
  for (let i = 1; i < count; i += 1) {
    await expect.poll(() => detach.count()).toBe(count - i);
    await detach.first().click();
  }
  const prompts = page.locator('textarea[aria-label$=" prompt"]:not([aria-label$="system prompt"])');
  await expect.poll(() => prompts.count()).toBe(count);
  for (let i = 0; i < count; i += 1) await prompts.nth(i).fill(`Describe a typical nurse, answer-${i}.`);
}

describe('long answers streaming in four columns', () => {
  it('four arms of 20 KB: the final text is complete and renders exactly like a one-shot render of what was saved', async () => {
    const replies = [0, 1, 2, 3].map((arm) => longMarkdown(arm, 20_000));
    replies.forEach((text, arm) => env.fake.on({ prompt: `answer-${arm}`, reply: { text }, pace: { firstTokenMs: 50, tokensPerSecond: 400, wordsPerChunk: 3 } }));
    app = await launch();
    const { page } = app;
    await fourArms(page);
    await page.getByRole('button', { name: /^Run/ }).click();

    await expect.poll(() => statuses(page), { timeout: 10_000 }).toEqual(['streaming', 'streaming', 'streaming', 'streaming']);
    // while streaming, finished blocks are already there and the text keeps growing
    await expect.poll(async () => (await columns(page).first().locator('h2').count()) > 2, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => statuses(page), { timeout: 60_000, interval: 250 }).toEqual(['completed', 'completed', 'completed', 'completed']);

    const runId = (await page.getByRole('status', { name: 'Run status' }).getAttribute('data-run-id'))!;
    const stored = app.services.runs.get(runId)!;
    expect(stored.arms.map((a) => a.text)).toEqual(replies);
    for (let arm = 0; arm < 4; arm += 1) {
      const body = columns(page).nth(arm).locator('.arm__body .markdown');
      await expect.poll(() => body.innerText(), { timeout: 10_000 }).toContain(`END-OF-ARM-${arm}`);
      const sections = replies[arm]!.match(/^## /gm)!.length;
      expect(await body.locator('h2').count()).toBe(sections);
      expect(await body.locator('pre code').count()).toBe(sections);
      expect(await body.locator('table').count()).toBe(sections);
      expect(await body.locator('[data-external-href]').count()).toBe(sections);
      expect(await body.locator('a[href], script, img').count()).toBe(0);
      // bidi override and zero-width space shown as labels, not applied
      expect(await body.locator('.md-invisible').allTextContents()).toEqual(['RLO', 'PDF', 'ZWSP']);
    }
    const streamed = await markdownHtml(page);

    // the same run opened afresh renders in one go from the database: identical HTML
    await page.reload();
    await expect.poll(() => statuses(page), { timeout: 20_000 }).toEqual(['completed', 'completed', 'completed', 'completed']);
    await expect.poll(async () => (await markdownHtml(page)).every((html) => html.includes('END-OF-ARM')), { timeout: 20_000 }).toBe(true);
    expect(await markdownHtml(page)).toEqual(streamed);
  });

  it('an answer past the Markdown limit streams as plain text with a note, complete, and the window stays usable', async () => {
    const huge = `# Not a heading here\n\n${'A very long answer line with <b>tags</b> and **stars**. '.repeat(11_000)}THE-END`;
    env.fake.on({ prompt: 'answer-0', reply: { text: huge }, pace: { firstTokenMs: 20, tokensPerSecond: 200, wordsPerChunk: 400 } });
    env.fake.on({ prompt: 'answer-1', reply: { text: 'A short, **normal** answer.' } });
    app = await launch();
    const { page } = app;
    await fourArms(page, 2);
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => statuses(page), { timeout: 90_000, interval: 500 }).toEqual(['completed', 'completed']);
    const big = columns(page).nth(0);
    await expect.poll(() => big.getByRole('note').textContent(), { timeout: 10_000 }).toMatch(/longer than 500,000 characters, so it is shown as plain text/);
    const shown = await big.locator('.arm__body .markdown').evaluate((el) => el.textContent ?? '');
    expect(shown.length).toBe(huge.length);
    expect(shown.endsWith('THE-END')).toBe(true);
    expect(await big.locator('.arm__body h1, .arm__body b, .arm__body strong').count()).toBe(0);
    // the other column rendered its Markdown, and the app still answers clicks
    expect(await columns(page).nth(1).locator('.arm__body strong').textContent()).toBe('normal');
    await page.getByRole('button', { name: 'Word diff' }).click();
    await expect.poll(() => page.locator('.diff').getAttribute('data-diff-mode'), { timeout: 30_000 }).toMatch(/lines|none/);
  });
});
