/**
 * Reports people can read, end to end in Chromium over the real handler table (offline): open a
 * run with mitigation steps in History, export its HTML report from the Export menu, open the
 * report in Chromium and read it as a person would (friendly labels, the steps' timeline, the
 * answers' Markdown rendered, nothing live); the Export menu stays inside the window at a narrow
 * width and at the right edge.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { presetDialogs } from '../support/preset-dialogs';
import { LAB_TITLE, NOVA, seedTracedRun } from '../support/report-fixtures';

let app: AppHarness | undefined;
const temp: string[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(async () => {
  await closeBrowser();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** The menu's box and the window's width, read in the page. */
async function menuBox(page: Page) {
  return page.evaluate(() => {
    const menu = document.querySelector('[role="menu"]')!.getBoundingClientRect();
    return { left: menu.left, right: menu.right, top: menu.top, bottom: menu.bottom, width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
  });
}

describe('reports in Chromium', () => {
  it('exports the HTML report of a run with steps: friendly labels, the timeline, rendered and sanitized Markdown; the Export menu stays in the window', async () => {
    const dialogs = presetDialogs();
    app = await launchApp({ services: { dialogs: dialogs.dialogs }, prepare: (services) => void seedTracedRun(services, Date.now() - 60_000) });
    const { page } = app;
    await page.getByRole('button', { name: /History/ }).first().click();
    const list = page.getByRole('listbox', { name: 'Runs' });
    await list.getByRole('option', { name: 'Constitutional nurse' }).click();
    const runView = page.getByRole('region', { name: 'Run results' });
    await expect.poll(() => runView.getByText('Arm 2 ·').isVisible()).toBe(true);
    // History names the lab by its title and the model by its short name (full id on hover).
    await expect.poll(() => page.getByText(`Lab: ${LAB_TITLE}`).isVisible()).toBe(true);
    await expect.poll(() => runView.locator(`.arm__model[title="${NOVA}"]`).first().textContent()).toBe('Nova Lite');

    // The Export menu at a narrow window: inside it, with a margin.
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const width of [1360, 700, 420]) {
      await page.setViewportSize({ width, height: 760 });
      const button = page.getByRole('button', { name: 'Export', exact: true });
      await button.scrollIntoViewIfNeeded();
      await button.click();
      await expect.poll(() => page.getByRole('menuitem', { name: /HTML report/ }).isVisible()).toBe(true);
      await expect.poll(async () => {
        const box = await menuBox(page);
        return box.left >= 0 && box.right <= box.width && box.top >= 0 && box.bottom <= box.height;
      }).toBe(true);
      if (width === 420) await page.screenshot({ path: join(SCREENSHOTS, 'export-menu-narrow.png') });
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    }

    // At the right edge: the button pushed against the window's right side, the menu clamped inside.
    await page.setViewportSize({ width: 560, height: 760 });
    await page.evaluate(() => {
      const menu = [...document.querySelectorAll('.hx-menu')].find((m) => m.querySelector('button')?.textContent?.trim() === 'Export') as HTMLElement;
      Object.assign(menu.style, { position: 'fixed', right: '2px', top: '120px', zIndex: '50' });
    });
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => page.getByRole('menuitem', { name: /HTML report/ }).isVisible()).toBe(true);
    const edge = await menuBox(page);
    expect(edge.right).toBeLessThanOrEqual(edge.width - 8);
    expect(edge.left).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: join(SCREENSHOTS, 'export-menu-right-edge.png') });

    // Export the HTML report through the (test) save dialog.
    const out = mkdtempSync(join(tmpdir(), 'parallax-reports-e2e-'));
    temp.push(out);
    const path = join(out, 'nurse.html');
    dialogs.nextSave(path);
    await page.getByRole('menuitem', { name: /HTML report/ }).click();
    await expect.poll(() => existsSync(path), { timeout: 30_000 }).toBe(true);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script/i);

    // Read it in Chromium as a person would.
    const report = await page.context().newPage();
    await report.setViewportSize({ width: 1280, height: 900 });
    await report.goto(pathToFileURL(path).href);
    const arm2 = report.locator('article.arm', { has: report.getByRole('heading', { name: /^Arm 2 · Constitutional/ }) });
    await expect.poll(() => arm2.count()).toBe(1);
    expect(await report.getByRole('heading', { name: /^Baseline/ }).count()).toBe(1);
    // The answer's Markdown is rendered: <strong>, a list, code; never the literal asterisks.
    expect(await arm2.locator('.output strong').first().textContent()).toBe('a caring professional');
    expect(await arm2.locator('.output li').count()).toBe(2);
    expect(await arm2.locator('.output').innerText()).not.toContain('**');
    // …and inert: no script ran, no link or image is live, handlers are gone.
    expect(await report.evaluate(() => document.scripts.length)).toBe(0);
    expect(await report.locator('.output a, .output img, [onclick], [onerror]').count()).toBe(0);
    expect(await arm2.locator('.output').innerText()).toContain('<script>alert("x")</script>');
    // The steps' timeline with friendly names and figures; a step's trace opens.
    const steps = arm2.getByRole('region', { name: 'Mitigation steps' });
    const timeline = await steps.locator('.step-name').allTextContents();
    expect(timeline).toEqual(['Bias guard', 'Answer · Nova Lite', 'Critique and revise: Biased or stereotyping, Toxic or insulting']);
    await steps.locator('summary', { hasText: 'Critique and revise' }).click();
    await expect.poll(() => steps.getByText('Critique 1: Biased or stereotyping — problem found', { exact: false }).isVisible()).toBe(true);
    expect(await steps.locator('.step-answer strong').first().textContent()).toBe('a caring professional');
    const text = await report.locator('body').innerText();
    expect(text).toContain('Relevancy (pass/fail)');
    expect(text).toContain('Preferred over baseline (−1 to +1, higher is better)');
    expect(text).toContain(`Lab: ${LAB_TITLE}`);
    expect(text).toContain('PII check (local) on input stopped this arm');
    expect(text).not.toMatch(/bias-guard|critique-revise|guard-pii|relevancy 1|vs arm|282\.57|\(mitigated\)/);
    await report.screenshot({ path: join(SCREENSHOTS, 'report-html.png'), fullPage: true });
    await report.close();
  }, 180_000);
});
