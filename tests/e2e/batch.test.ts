/**
 * Batches in Chromium over the real handler table and the fake Bedrock: import a dataset from a
 * file, see its preview and a row problem, run a batch, watch it finish, filter the matrix
 * (arms that disagree, failures only), open a cell's full run, and look at the statistics.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { presetDialogs } from '../support/preset-dialogs';
import { useTestCredentials } from '../support/test-credentials';

let fake: FakeBedrock;
let restoreEnv: () => void;
let app: AppHarness | undefined;
beforeAll(async () => {
  restoreEnv = useTestCredentials();
  fake = await startFakeBedrock();
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

const ROLES = ['nurse', 'engineer', 'teacher', 'pilot', 'chef', 'doctor', 'farmer', 'lawyer', 'plumber', 'artist', 'banker', 'coach'];
const arm = (label: string, modelId: string, system: string, template: string) => ({ label, technique: label === 'Baseline' ? 'plain' : 'bias-guard', modelId, inference: { maxTokens: 300 }, system, history: [], template });
const DRAFT = {
  name: 'Who does this job',
  description: '',
  labId: null,
  config: {
    variables: [{ name: 'role', value: 'nurse' }],
    arms: [arm('Baseline', 'amazon.nova-lite-v1:0', '', 'Describe a typical ${role}.'), arm('Bias guard', 'anthropic.claude-3-haiku-20240307-v1:0', 'Avoid stereotypes.', 'Describe a typical ${role}, without stereotypes.')],
  },
};

describe('batches', () => {
  it('imports a dataset, runs a batch, filters the matrix and opens a cell', async () => {
    // the guarded arm refuses for three roles and fails for one (a request Bedrock rejects)
    for (const role of ['doctor', 'lawyer', 'banker']) fake.on({ model: 'claude', prompt: `typical ${role},`, reply: { text: "I'm sorry, but I can't help with that." } });
    fake.on({ model: 'claude', prompt: 'typical pilot,', error: { status: 400, type: 'ValidationException', message: 'Malformed input request' } });
    fake.on({ model: 'nova', reply: { text: 'A **typical** worker:\n\n- skilled\n- patient' } });
    fake.on({ model: 'claude', reply: { text: 'People in this job vary *widely*.' } });
    const dialogs = presetDialogs();
    const outDir = mkdtempSync(join(tmpdir(), 'parallax-batch-report-'));
    app = await launchApp({
      services: { dialogs: dialogs.dialogs },
      prepare: (services) => {
        services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
      },
    });
    const { page } = app;
    await page.evaluate((draft) => window.localStorage.setItem('parallax.compare', JSON.stringify({ draft, runId: null })), DRAFT);
    await page.evaluate(() => window.location.assign('#/batch'));
    await page.reload();
    await page.getByRole('button', { name: 'New batch' }).click();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-new.png') });

    // a file with an empty value: previewed, the problem named by row and column
    const csv = `role,expected\n${ROLES.map((r, i) => (i === 2 ? ',x' : `${r},A ${r}`)).join('\n')}\n`;
    await page.getByLabel('Dataset file').setInputFiles({ name: 'roles.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.getByRole('region', { name: 'Dataset preview' }).textContent(), { timeout: 15_000 }).toContain('engineer');
    await page.getByRole('button', { name: 'Save dataset' }).click();
    const problems = page.getByRole('alert', { name: 'Problems before running' });
    await expect.poll(() => problems.textContent(), { timeout: 15_000 }).toContain('Row 3 has no value in "role" for ${role}.');
    expect(await page.getByRole('button', { name: /Run batch/ }).isDisabled()).toBe(true);

    // fixed file, imported again
    const fixed = `role,expected\n${ROLES.map((r) => `${r},A ${r}`).join('\n')}\n`;
    await page.getByLabel('Dataset file').setInputFiles({ name: 'roles-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.getByRole('button', { name: 'Save dataset' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Run batch \(24 cells\)/ }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: /Run batch/ }).click();

    const figures = page.getByLabel('Batch figures');
    await expect.poll(() => figures.textContent(), { timeout: 60_000 }).toMatch(/23 of 24 done.*1 failed/);
    const matrix = page.getByRole('table', { name: 'Results matrix' });
    await expect.poll(() => matrix.getByRole('row').count(), { timeout: 15_000 }).toBe(13);

    // arms disagree on refusal for the three refused roles
    await page.getByLabel('Score shown').selectOption({ label: 'Refusal' });
    await page.getByLabel('Rows where arms disagree').check();
    await expect.poll(() => page.getByText(/3 of 12 rows/).isVisible(), { timeout: 15_000 }).toBe(true);
    const rowHeads = await matrix.locator('.batch-matrix__rowhead strong').allTextContents();
    expect(rowHeads).toEqual(['Row 6', 'Row 8', 'Row 11']);
    await page.getByLabel('Rows where arms disagree').uncheck();
    await page.getByLabel('Failures only').check();
    await expect.poll(() => page.getByText(/1 of 12 rows/).isVisible()).toBe(true);
    expect(await matrix.getByRole('cell', { name: 'Row 4, Bias guard' }).textContent()).toContain('Malformed input request');
    await page.getByLabel('Failures only').uncheck();

    // statistics: friendly score names, intervals, the effect sentence
    const stats = page.getByLabel('Statistics');
    await expect.poll(() => stats.textContent(), { timeout: 15_000 }).toContain('Bias guard');
    expect(await stats.textContent()).toMatch(/Words/);
    expect(await page.getByLabel('Effects of the mitigations').textContent()).toMatch(/Bias guard (lowered|raised) the Words score on \d+ of 11 rows; mean −?[\d.]+, 95 % interval/);

    // a cell opens its full run, the answer's Markdown rendered
    await matrix.getByRole('cell', { name: 'Row 1, Baseline' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.locator('strong', { hasText: 'typical' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-cell.png') });
    await page.keyboard.press('Escape');

    // the HTML report: friendly labels, statistics, static SVG charts, the answers' Markdown rendered, no script
    const reportPath = join(outDir, 'report.html');
    dialogs.nextSave(reportPath);
    await page.getByRole('button', { name: 'Export HTML report' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Report saved' }).isVisible(), { timeout: 15_000 }).toBe(true);
    const html = readFileSync(reportPath, 'utf8');
    expect(html).toContain('<strong>Arm 2 · Bias guard</strong>');
    expect(html).toContain('<strong>Baseline</strong>');
    expect(html).toContain('<span title="anthropic.claude-3-haiku-20240307-v1:0">Claude 3 Haiku</span>');
    expect(html).not.toMatch(/Arm 1\b|\(baseline\)/);
    expect(html).toMatch(/<td>Words<\/td>/);
    expect(html).toMatch(/Bias guard (lowered|raised) the Words score/);
    expect(html).toContain('<strong>typical</strong>');
    expect(html).toContain('<li>skilled</li>');
    expect(html).not.toContain('**typical**');
    expect(html).toMatch(/<svg [^>]*role="img"/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Failed: Bedrock rejected the request');
    rmSync(outDir, { recursive: true, force: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-results.png'), fullPage: true });
  }, 180_000);
});
