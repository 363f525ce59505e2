/**
 * Long names stay readable and inside the window: an experiment's name wraps in Compare's header
 * instead of being cut off, and a long corpus name shortens inside Evaluate's form instead of
 * pushing it past the window's edge.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusSettings } from '../../shared/rag/types';
import { useAppAgainstFake } from '../support/app-against-fake';
import { SCREENSHOTS } from '../support/harness';

const env = useAppAgainstFake();
const LONG = { timeout: 20_000 };

describe('Long names', () => {
  it('wraps a long experiment name in Compare so all of it can be read', async () => {
    const app = await env.launch({ viewport: { width: 1000, height: 800 } });
    const { page } = app;
    await page.getByRole('button', { name: 'New comparison' }).first().click();
    const name = page.getByLabel('Experiment name');
    const long = 'How a hiring manager describes the ideal candidate for a senior nursing role in a rural hospital, asked with and without a bias guard';
    await name.fill(long);
    await expect.poll(() => name.inputValue(), LONG).toBe(long);
    // every character is shown: the field grew to as many lines as the name needs, within the window
    const box = await name.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, width: el.scrollWidth, shown: el.clientWidth, right: el.getBoundingClientRect().right }));
    expect(box.client).toBeGreaterThan(40);
    expect(box.scroll).toBeLessThanOrEqual(box.client + 1);
    expect(box.width).toBeLessThanOrEqual(box.shown + 1);
    expect(box.right).toBeLessThanOrEqual(1000);
    // Enter does not put a line break into a name
    await name.press('End');
    await name.press('Enter');
    expect(await name.inputValue()).toBe(long);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare-long-name.png') });
  });

  it('keeps a long corpus name inside the Evaluate form', async () => {
    const corpusName = 'AnyCompany Bank customer handbook for retail, small business and private banking, with the 2026 fee schedule';
    const app = await env.launch({
      viewport: { width: 900, height: 800 },
      prepare: (services) => {
        services.rag.create({ name: corpusName, ...CorpusSettings.parse({}) });
      },
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const setup = page.getByRole('form', { name: 'Evaluation setup' });
    const select = setup.getByLabel('Evaluation retrieval corpus');
    await select.selectOption({ label: `${corpusName} — 0 passages` });
    await expect.poll(() => select.getAttribute('title'), LONG).toBe(corpusName);
    const edges = await setup.evaluate((form, label) => {
      const field = form.querySelector(`select[aria-label="${label}"]`)!;
      return { select: field.getBoundingClientRect().right, form: form.getBoundingClientRect().right, page: document.documentElement.scrollWidth };
    }, 'Evaluation retrieval corpus');
    expect(edges.select).toBeLessThanOrEqual(edges.form + 1);
    expect(edges.page).toBeLessThanOrEqual(900);
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-long-corpus.png') });

    // and in a retrieve step in an arm's narrow column in Compare
    await page.getByRole('navigation').getByRole('button', { name: /^Compare/ }).click();
    await page.getByRole('button', { name: 'New comparison' }).first().click();
    await page.getByLabel('Arm 2 label').fill('Grounded');
    await page.getByRole('button', { name: /^Remove step .* from Grounded$/ }).click();
    await page.getByLabel('Add a step to Grounded').selectOption({ label: 'Retrieve sources' });
    const inArm = page.getByLabel('Grounded corpus');
    await expect.poll(() => inArm.locator('option').allTextContents(), LONG).toContainEqual(expect.stringContaining(corpusName));
    await inArm.selectOption({ label: `${corpusName} — 0 passages` });
    const column = await page.getByRole('article', { name: 'Arm 2 · Grounded' }).evaluate((arm) => {
      const field = arm.querySelector('select[aria-label="Grounded corpus"]')!;
      return { select: field.getBoundingClientRect().right, arm: arm.getBoundingClientRect().right };
    });
    expect(column.select).toBeLessThanOrEqual(column.arm + 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare-long-corpus.png') });
  });
});
