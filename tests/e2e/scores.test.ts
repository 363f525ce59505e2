/**
 * Score cards and human ratings in Chromium over the real handler table: a stored run is
 * scored (metrics need no model), opened in Compare, rated, and reloaded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { storeFinishedRun } from '../support/score-fixtures';

const BASELINE = 'Call Maria on 555-867-5309 or write to maria.lopez@example.com, she is a caring woman.';
const MITIGATED = 'Compare the candidates on licences, years of experience and references.';

let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(closeBrowser);

/** Launches with one scored two-arm run and opens it in Compare. */
async function openScoredRun(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; runId: string }> {
  let runId = '';
  app = await launchApp({
    colorScheme,
    prepare: async (services) => {
      if (runId) return; // a restart keeps the same data
      runId = storeFinishedRun(services.runs, [BASELINE, MITIGATED]);
      await services.scores.run(runId, { metrics: ['piiCount', 'words'] });
    },
  });
  const { page } = app;
  await page.evaluate((id) => window.localStorage.setItem('parallax.compare', JSON.stringify({ runId: id })), runId);
  await page.evaluate(() => window.location.assign('#/compare'));
  await page.reload();
  await expect.poll(() => page.getByRole('region', { name: 'Scores for Mitigated 1' }).isVisible()).toBe(true);
  return { page, runId };
}

const card = (page: Page, label: string) => page.getByRole('region', { name: `Scores for ${label}` });

async function cssVar(page: Page, name: string): Promise<string> {
  // Resolve a theme variable to the computed rgb() form the browser reports for colours.
  return page.evaluate((variable) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${variable})`;
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }, name);
}

describe('score cards and ratings', () => {
  it('shows each mitigated arm’s delta against the baseline, coloured by which direction is better', async () => {
    const { page } = await openScoredRun();

    // PII found: lower is better. The baseline leaks a phone number and an e-mail; the mitigation none.
    const pii = card(page, 'Mitigated 1').locator('[data-scorer="piiCount"] .score-delta');
    await expect.poll(() => pii.textContent()).toBe('−2');
    await expect.poll(() => pii.getAttribute('data-direction')).toBe('better');
    await expect.poll(() => pii.evaluate((el) => getComputedStyle(el).color)).toBe(await cssVar(page, '--success'));

    // Words: no better direction, so the change is neutral (not green, not red).
    const words = card(page, 'Mitigated 1').locator('[data-scorer="words"] .score-delta');
    await expect.poll(() => words.getAttribute('data-direction')).toBe('neutral');
    await expect.poll(() => words.evaluate((el) => getComputedStyle(el).color)).not.toBe(await cssVar(page, '--success'));
    await expect.poll(() => words.evaluate((el) => getComputedStyle(el).color)).not.toBe(await cssVar(page, '--danger'));

    // The baseline has no delta of its own, and its feedback is behind a disclosure.
    await expect.poll(() => card(page, 'Baseline').locator('.score-delta').count()).toBe(0);
    const baselinePii = card(page, 'Baseline').locator('[data-scorer="piiCount"]');
    await baselinePii.locator('summary').first().click();
    await expect.poll(() => baselinePii.innerText()).toMatch(/Found: (phone, email|email, phone)/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'scores-card-light.png') });
  });

  it('scores an old run again from the Scores dialog with a reference answer, and keeps the choices', async () => {
    const { page, runId } = await openScoredRun();
    await page.getByRole('button', { name: 'Scores…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Scores' });
    await dialog.getByLabel('Run F1 over words now').check();
    await dialog.getByLabel('Run PII found after every run').check();
    await dialog.getByLabel('Reference answer').fill('Compare candidates on experience and references.');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'scores-dialog-light.png') });
    await dialog.getByRole('button', { name: 'Save and score this run' }).click();

    const f1 = card(page, 'Mitigated 1').locator('[data-scorer="f1"]');
    await expect.poll(() => f1.isVisible()).toBe(true);
    await expect.poll(() => f1.locator('.score-delta').getAttribute('data-direction')).toBe('better');
    const stored = app!.services.scores.get(runId).scores.filter((score) => score.scorer === 'f1');
    expect(stored).toHaveLength(2);
    expect(app!.services.scores.settings(null)).toMatchObject({ reference: 'Compare candidates on experience and references.' });
    expect(app!.services.scores.settings(null).autoMetrics).toContain('piiCount');

    // A judge prompt edit is saved and can be reset.
    await page.getByRole('button', { name: 'Scores…' }).click();
    await dialog.getByLabel('Judge prompt to edit').selectOption('bias');
    await dialog.getByLabel('Judge prompt', { exact: true }).fill('Rate bias in ${answer} from 1 to 5.');
    await dialog.getByRole('button', { name: 'Save prompt' }).click();
    await expect.poll(() => app!.services.scores.prompts().bias.edited).toBe(true);
    await dialog.getByRole('button', { name: 'Reset to default' }).click();
    await expect.poll(() => app!.services.scores.prompts().bias.edited).toBe(false);
  });

  it('rates an arm and a run, and the ratings survive a reload and a restart', async () => {
    const { page, runId } = await openScoredRun('dark');
    const mitigated = card(page, 'Mitigated 1');

    await mitigated.getByRole('button', { name: 'Thumbs up for Mitigated 1' }).click();
    await mitigated.getByRole('radio', { name: '4 stars' }).click();
    await card(page, 'Baseline').getByRole('button', { name: 'Thumbs down for Baseline' }).click();
    await page.getByLabel('Preferred arm').selectOption({ label: 'Mitigated 1' });
    await page.getByLabel('Run note').fill('The guard removed the stereotype and the contact details.');
    await page.getByLabel('Run note').blur();
    await expect.poll(() => app!.services.scores.get(runId).ratings.note).toBe('The guard removed the stereotype and the contact details.');
    // One note per run: the rating panel's note is the run's note in History.
    expect(app!.services.history.meta(runId)?.note).toBe('The guard removed the stereotype and the contact details.');

    await page.reload();
    await expect.poll(() => mitigated.getByRole('button', { name: 'Thumbs up for Mitigated 1' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => mitigated.getByRole('radio', { name: '4 stars' }).getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => card(page, 'Baseline').getByRole('button', { name: 'Thumbs down for Baseline' }).getAttribute('aria-pressed')).toBe('true');

    await app!.restart();
    await expect.poll(() => page.getByLabel('Run note').inputValue()).toBe('The guard removed the stereotype and the contact details.');
    await expect.poll(() => page.getByLabel('Preferred arm').inputValue()).toBe('1');
    expect(app!.services.scores.get(runId).ratings).toMatchObject({
      arms: [
        { armIndex: 0, thumb: 'down', stars: null },
        { armIndex: 1, thumb: 'up', stars: 4 },
      ],
      preferredArm: 1,
    });

    // A note written in History is the one the rating panel shows.
    app!.services.history.note(runId, 'Edited from History.');
    await page.reload();
    await expect.poll(() => page.getByLabel('Run note').inputValue()).toBe('Edited from History.');

    // Clicking the chosen thumb again clears it.
    await card(page, 'Mitigated 1').getByRole('button', { name: 'Thumbs up for Mitigated 1' }).click();
    await expect.poll(() => app!.services.scores.get(runId).ratings.arms.find((a) => a.armIndex === 1)?.thumb).toBe(null);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'scores-ratings-dark.png') });
  });
});
