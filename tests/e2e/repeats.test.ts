/**
 * Repeats and run against run (issue 13) in Chromium, over the real handler table and the fake
 * Bedrock: run each arm 3 times in Compare and see the samples and their spread in the columns,
 * reopen them from History; tick two runs in History and see what changed between them — the
 * changed prompt highlighted, the answers' diff and the score deltas.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { useTestCredentials } from '../support/test-credentials';

let fake: FakeBedrock;
let restoreEnv: () => void;
let app: AppHarness | undefined;
beforeAll(async () => {
  restoreEnv = useTestCredentials();
  fake = await startFakeBedrock();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeBrowser();
  await fake.close();
  restoreEnv();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.reset();
});

const DRAFT = {
  name: 'Who does this job',
  description: '',
  labId: null,
  config: {
    variables: [{ name: 'role', value: 'nurse' }],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: { maxTokens: 300 }, system: '', history: [], template: 'Describe a typical ${role}.' },
      { mode: 'derived', label: 'Bias guard', steps: [{ kind: 'technique', techniqueId: 'bias-guard' }], overrides: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' } },
    ],
  },
};

async function launchOnCompare(colorScheme: 'light' | 'dark' = 'light') {
  app = await launchApp({
    colorScheme,
    prepare: (services) => {
      services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
    },
  });
  const { page } = app;
  await page.evaluate((draft) => window.localStorage.setItem('parallax.compare', JSON.stringify({ draft, runId: null })), DRAFT);
  await page.evaluate(() => window.location.assign('#/compare'));
  await page.reload();
  await expect.poll(() => page.getByLabel('Experiment name').inputValue(), { timeout: 15_000 }).toBe('Who does this job');
  return page;
}

const column = (page: Page, label: string) => page.locator(`article.arm[aria-label="${label} output"]`);

async function openHistory(page: Page) {
  await page.getByRole('button', { name: /History/ }).first().click();
  return page.getByRole('listbox', { name: 'Runs' });
}

describe('repeats of a single comparison', () => {
  it('runs each arm 3 times, shows the samples and their spread, and reopens them from History', async () => {
    // three different baseline answers (3, 5 and 4 words), one steady guarded answer
    fake.on({ model: 'nova', reply: { text: 'Nurses are caring.' }, times: 1 });
    fake.on({ model: 'nova', reply: { text: 'Nurses are usually caring women.' }, times: 1 });
    fake.on({ model: 'nova', reply: { text: 'Nurses work long shifts.' } });
    fake.on({ model: 'claude', reply: { text: 'People in nursing vary widely.' } });
    const page = await launchOnCompare();

    await page.getByLabel('Samples per arm').selectOption('3');
    await page.getByRole('button', { name: /^Run ×3/ }).click();
    const repeats = page.getByRole('region', { name: 'Repeated comparison' });
    await expect.poll(() => repeats.getByRole('status', { name: 'Samples status' }).textContent(), { timeout: 60_000 }).toContain('3 of 3 samples finished');
    const tabs = repeats.getByRole('tablist', { name: 'Samples' }).getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(['Sample 1', 'Sample 2', 'Sample 3']);
    expect(await tabs.first().getAttribute('aria-selected')).toBe('true');

    // over each column: the spread of its scores over the three samples, in a plain sentence
    const baselineSpread = repeats.getByRole('note', { name: 'Spread over the samples, Baseline' });
    await expect.poll(() => baselineSpread.textContent(), { timeout: 30_000 }).toContain('3 samples: Words 3–5 (mean 4.0)');
    const guardSpread = repeats.getByRole('note', { name: 'Spread over the samples, Arm 2' });
    await expect.poll(() => guardSpread.textContent(), { timeout: 30_000 }).toContain('3 samples: Words 5 every time');
    expect(await guardSpread.textContent()).toContain('refused in 0 of 3');

    // the switcher shows each sample's own answers
    const answers = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      await tabs.nth(i).click();
      await expect.poll(() => tabs.nth(i).getAttribute('aria-selected')).toBe('true');
      await expect.poll(() => column(page, 'Baseline').locator('.arm__body').innerText(), { timeout: 15_000 }).toMatch(/Nurses/);
      answers.add(await column(page, 'Baseline').locator('.arm__body').innerText());
    }
    expect(answers.size).toBe(3);
    await tabs.first().click();
    await page.getByRole('button', { name: 'Editor', exact: true }).click();
    await repeats.evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
      // clear of the sticky header
      let scroller: HTMLElement | null = element.parentElement;
      while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
      scroller?.scrollBy(0, -140);
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'repeats-compare.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOTS, 'repeats-compare-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // every sample is a run in History; one opens all three, with the spread, in Compare
    const list = await openHistory(page);
    await expect.poll(() => list.getByRole('option', { name: /Who does this job · sample \d of 3/ }).count(), { timeout: 15_000 }).toBe(3);
    await list.getByRole('option', { name: 'Who does this job · sample 2 of 3' }).click();
    const banner = page.getByRole('note', { name: 'Sample of a repeated comparison' });
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('Sample 2 of 3');
    await banner.getByRole('button', { name: 'Open all 3 samples in Compare' }).click();
    await expect.poll(() => repeats.getByRole('tab', { name: 'Sample 2' }).getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => baselineSpread.textContent(), { timeout: 15_000 }).toContain('3 samples: Words 3–5 (mean 4.0)');

    // and after a reload, Compare still shows the samples
    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Repeated comparison' }).getByRole('tab').count(), { timeout: 15_000 }).toBe(3);
  }, 180_000);
});

describe('samples streaming in', () => {
  it('shows a repeat sample’s text growing while it streams, and whole at the end', async () => {
    const answer = 'Nurses work long shifts, care for patients of every background, and keep careful notes until the very END.';
    fake.on({ model: 'nova', reply: { text: answer }, pace: { firstTokenMs: 50, tokensPerSecond: 5 } });
    fake.on({ model: 'claude', reply: { text: 'People in nursing vary widely.' } });
    const page = await launchOnCompare();

    await page.getByLabel('Samples per arm').selectOption('3');
    await page.getByRole('button', { name: /^Run ×3/ }).click();
    const repeats = page.getByRole('region', { name: 'Repeated comparison' });
    const status = repeats.getByRole('status', { name: 'Samples status' });
    const body = column(page, 'Baseline').locator('.arm__body');
    // part of the answer is on screen while the batch still runs and before the answer's end
    await expect
      .poll(
        async () => {
          const text = await body.innerText();
          return text.includes('Nurses work') && !text.includes('END') && ((await status.textContent()) ?? '').startsWith('Running');
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
    await repeats.evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
      // clear of the sticky header
      let scroller: HTMLElement | null = element.parentElement;
      while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
      scroller?.scrollBy(0, -140);
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'repeats-streaming.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOTS, 'repeats-streaming-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await expect.poll(() => status.textContent(), { timeout: 90_000 }).toContain('3 of 3 samples finished');
    await expect.poll(() => body.innerText(), { timeout: 15_000 }).toContain('keep careful notes until the very END.');
    // the text came as the runner's coalesced deltas, fewer events than the answer has words
    const deltas = app!.events.filter((e) => e.event === 'batch:delta');
    expect(deltas.length).toBeGreaterThan(0);
    // another sample shows its own whole answer
    await repeats.getByRole('tab', { name: 'Sample 3' }).click();
    await expect.poll(() => body.innerText(), { timeout: 15_000 }).toContain('until the very END.');
  }, 180_000);
});

describe('run against run', () => {
  it('ticks two runs in History, opens Compare, and shows the changed prompt, the answers and the score deltas', async () => {
    fake.on({ model: 'nova', prompt: 'admire', reply: { text: 'A nurse I admire works nights with patience and skill.' } });
    fake.on({ model: 'nova', reply: { text: 'A typical nurse is a caring woman.' } });
    fake.on({ model: 'claude', reply: { text: 'Nurses come from every background.' } });
    const page = await launchOnCompare();

    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Run status' }).textContent(), { timeout: 30_000 }).toContain('Saved to History');
    await page.getByLabel('Baseline prompt').fill('Describe a ${role} you admire.');
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => column(page, 'Baseline').locator('.arm__body').innerText(), { timeout: 30_000 }).toContain('admire');
    await expect.poll(() => page.getByRole('status', { name: 'Run status' }).textContent(), { timeout: 30_000 }).toContain('Saved to History');

    const list = await openHistory(page);
    const boxes = list.getByRole('checkbox', { name: 'Select Who does this job' });
    await expect.poll(() => boxes.count(), { timeout: 15_000 }).toBe(2);
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await page.getByRole('toolbar', { name: 'Selected runs' }).getByRole('button', { name: 'Compare' }).click();

    const against = page.getByRole('region', { name: 'Run against run' });
    await expect.poll(() => against.getByRole('status', { name: 'Configuration summary' }).textContent(), { timeout: 15_000 }).toMatch(/What changed: Baseline: 1 change · Bias guard: 1 change/);
    const baseline = against.getByRole('article', { name: 'Baseline' });
    const config = baseline.getByRole('region', { name: 'Configuration changes' });
    await expect.poll(() => config.textContent()).toContain('Prompt');
    // the changed words of the prompt are highlighted (word diff, off the main thread)
    await expect.poll(() => config.locator('ins.diff__added').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('admire')]));
    expect(await config.locator('del.diff__removed').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('typical')]));
    // the mitigated arm wraps the same prompt: its change shows too, the guard's settings do not
    const guard = against.getByRole('article', { name: 'Arm 2 · Bias guard' });
    await expect.poll(() => guard.getByRole('region', { name: 'Configuration changes' }).locator('ins.diff__added').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('admire')]));

    // score deltas side by side: the baseline's answer grew (7 → 10 words), the guard's did not change
    const scores = baseline.getByRole('region', { name: 'Score changes' });
    await expect.poll(() => scores.getByRole('row', { name: /^Words/ }).textContent(), { timeout: 30_000 }).toMatch(/Words\s*7\s*10\s*\+3/);
    await expect.poll(() => guard.getByRole('region', { name: 'Score changes' }).getByRole('row', { name: /^Words/ }).textContent(), { timeout: 30_000 }).toMatch(/Words\s*5\s*5\s*0/);
    // the answers' diff per arm
    await expect.poll(() => baseline.getByRole('region', { name: 'Answer changes' }).locator('ins').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('admire')]));
    expect(await guard.getByRole('region', { name: 'Answer changes' }).textContent()).toContain('The same answer, word for word.');

    await page.screenshot({ path: join(SCREENSHOTS, 'run-against-run.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENSHOTS, 'run-against-run-dark.png'), fullPage: true });
  }, 180_000);
});
