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

describe('batch against batch', () => {
  const guarded = (techniqueId: string) => ({
    variables: [{ name: 'role', value: 'nurse' }],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: { maxTokens: 300 }, system: '', history: [], template: 'Describe a typical ${role}.' },
      { mode: 'derived', label: 'Guard', steps: [{ kind: 'technique', techniqueId }], overrides: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' } },
    ],
  });

  it('ticks two batches of another technique and shows what changed, the statistics side by side and a row’s answers', async () => {
    fake.on({ model: 'nova', reply: { text: 'A typical worker is skilled and patient.' } });
    // the first batch's guarded answers have 6 words, the second's 2
    fake.on({ model: 'claude', reply: { text: 'People in this job vary widely.' }, times: 3 });
    fake.on({ model: 'claude', reply: { text: 'People vary.' } });
    app = await launchApp({
      prepare: (services) => {
        services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
      },
    });
    const { page, services } = app;
    const invoke = (channel: string, request: unknown) =>
      page.evaluate(
        async ([c, r]) => {
          const envelope = await window.parallax!.invoke(c as never, r as never);
          if (!envelope.ok) throw new Error(envelope.error.message);
          return envelope.value as { id: string };
        },
        [channel, request] as const,
      );
    const dataset = await invoke('datasets:save', { name: 'Three roles', format: 'csv', text: 'role\nnurse\nengineer\npilot\n', mapping: { variables: { role: 'role' } } });
    const start = (name: string, techniqueId: string) =>
      invoke('batches:start', { name, experimentId: null, config: guarded(techniqueId), datasetId: dataset.id, mapping: { variables: { role: 'role' }, reference: null }, repeats: 1, concurrency: 2, scores: { metrics: ['words'], judges: [] } });
    const first = await start('Roles with the bias guard', 'bias-guard');
    await services.batches.whenSettled(first.id);
    const second = await start('Roles with balanced perspectives, a much longer title that should not push the layout out of the window', 'balanced-perspectives');
    await services.batches.whenSettled(second.id);

    // batches over a dataset stream their text to nobody
    expect(app.events.filter((e) => e.event === 'batch:delta')).toHaveLength(0);
    await page.evaluate(() => window.location.assign('#/batch'));
    await page.reload();
    const bar = page.getByRole('toolbar', { name: 'Compare batches' });
    await expect.poll(() => bar.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Tick two batches to compare them.');
    await page.getByRole('checkbox', { name: 'Select Roles with the bias guard to compare' }).check();
    await expect.poll(() => bar.getByRole('status').textContent()).toContain('tick one more');
    expect(await bar.getByRole('button', { name: 'Compare 2 batches' }).isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /Select Roles with balanced perspectives/ }).check();
    await bar.getByRole('button', { name: 'Compare 2 batches' }).click();

    const against = page.getByRole('region', { name: 'Batch against batch' });
    await expect.poll(() => against.getByRole('status', { name: 'Configuration summary' }).textContent(), { timeout: 15_000 }).toMatch(/What changed: Arm 2 · Guard: \d+ changes?\./);
    expect(await against.getByRole('note', { name: 'How arms were matched' }).textContent()).toBe('Arms matched by label and position: Baseline, Arm 2 · Guard.');
    // the changed technique in friendly words, never its id
    const guard = against.getByRole('article', { name: 'Arm 2 · Guard' });
    const config = guard.getByRole('region', { name: 'Configuration changes' });
    await expect.poll(() => config.getByRole('listitem').filter({ hasText: 'Steps' }).textContent()).toMatch(/Steps\s*Bias guard\s*→\s*Balanced perspectives/);
    expect(await against.textContent()).not.toMatch(/bias-guard|balanced-perspectives|anthropic\.claude/);
    expect(await against.getByRole('article', { name: 'Baseline' }).getByRole('region', { name: 'Configuration changes' }).textContent()).toContain('Same configuration.');

    // statistics side by side: the guarded answers went from 6 words to 2; the baseline's did not change
    const words = guard.getByRole('region', { name: 'Statistics changes' }).getByRole('row', { name: /^Words/ });
    await expect.poll(() => words.textContent(), { timeout: 15_000 }).toMatch(/Words\s*6\s*95 % 6 to 6\s*n 3\s*2\s*95 % 2 to 2\s*n 3\s*−4\s*changed, intervals apart/);
    await expect.poll(() => against.getByRole('article', { name: 'Baseline' }).getByRole('row', { name: /^Words/ }).textContent()).toMatch(/Words\s*7.*7.*0\s*no change/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await against.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-compare.png') });

    // one row's answers of the guarded arm, diffed
    await guard.getByLabel('Row to compare, Arm 2 · Guard').selectOption({ label: 'Row 2 · engineer' });
    await guard.getByRole('button', { name: 'Compare the answers' }).click();
    const answers = guard.getByRole('region', { name: 'Answer changes' });
    await expect.poll(() => answers.locator('del').allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringContaining('widely')]));
    expect(await against.getByRole('note', { name: 'Rows across the batches' }).textContent()).toContain('Both batches ran Three roles');

    await page.screenshot({ path: join(SCREENSHOTS, 'batch-compare-answers.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await against.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOTS, 'batch-compare-dark.png') });
  }, 180_000);
});
