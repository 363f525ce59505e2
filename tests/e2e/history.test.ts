/**
 * History end to end, in Chromium over the real handler table, with no Bedrock reachable
 * (the services' Bedrock client is never configured here): browse, search, open, organise,
 * export, delete with undo, import a workshop pack — all offline.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../electron/services';
import { generateHistory, seedRealisticRuns } from '../support/history-fixtures';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { presetDialogs } from '../support/preset-dialogs';
import { startFakeBedrock } from '../support/fake-bedrock';
import { useTestCredentials } from '../support/test-credentials';

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

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-history-e2e-'));
  temp.push(dir);
  return dir;
}

async function launchWithHistory(options: { colorScheme?: 'light' | 'dark'; generated?: number } = {}) {
  const dialogs = presetDialogs();
  const now = Date.now();
  const harness = await launchApp({
    colorScheme: options.colorScheme ?? 'light',
    services: { dialogs: dialogs.dialogs },
    prepare(services) {
      generateHistory(services.db, { runs: options.generated ?? 400, newest: now - 6 * 3_600_000 });
      seedRealisticRuns(services, now - 2 * 60_000);
    },
  });
  await harness.page.getByRole('button', { name: /History/ }).first().click();
  return { harness, dialogs };
}

describe('history in Chromium, offline', () => {
  it('browses, searches with highlighted matches, opens a run side by side and exports it', async () => {
    const { harness, dialogs } = await launchWithHistory();
    app = harness;
    const { page } = app;
    const list = page.getByRole('listbox', { name: 'Runs' });

    await expect.poll(() => page.getByText('405 runs').isVisible()).toBe(true);
    await expect.poll(() => list.getByRole('option').first().getAttribute('aria-label')).toBe('Hiring advice: nurse or engineer');
    await expect.poll(() => page.getByText(/Running or re-running a comparison needs Amazon Bedrock/).isVisible()).toBe(true);

    // Scrolling loads more pages (keyset pagination) without leaving the list.
    await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('[data-run-id]').length)).toBeGreaterThan(5);

    // Search: highlighted with <mark>, built from text nodes.
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('immigrated');
    await expect.poll(() => page.getByText('1 run matching “immigrated”').isVisible()).toBe(true);
    const mark = list.locator('mark').first();
    expect((await mark.textContent())?.toLowerCase()).toContain('immigrated');

    // Open it: the read-only side-by-side view, with both arms.
    await list.getByRole('option', { name: 'Loan officer persona' }).click();
    const runView = page.getByRole('region', { name: 'Run results' });
    await expect.poll(() => runView.isVisible()).toBe(true);
    await expect.poll(() => runView.getByText(/documented criteria that apply to every applicant/).isVisible()).toBe(true);
    await expect.poll(() => runView.getByText(/higher risk because they may leave/).isVisible()).toBe(true);

    // Star, tag and note it; the list and the database follow.
    await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Star' }).click();
    await page.getByRole('textbox', { name: 'Add a tag' }).fill('workshop-3');
    await page.getByRole('textbox', { name: 'Add a tag' }).press('Enter');
    await page.getByRole('textbox', { name: 'Run note' }).fill('Show this one first: the baseline assumes flight risk.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Remove tag workshop-3' }).isVisible()).toBe(true);
    const id = (await list.getByRole('option', { name: 'Loan officer persona' }).getAttribute('data-run-id'))!;
    await expect.poll(() => app!.services.history.meta(id)?.note).toContain('flight risk');
    expect(app.services.history.meta(id)).toMatchObject({ starred: true, tags: ['workshop-3'] });
    // One note per run: the rating panel (scores) reads the same note; History shows it once.
    expect(app.services.scores.get(id).ratings.note).toContain('flight risk');
    await expect.poll(() => page.getByRole('textbox', { name: 'Run note' }).count()).toBe(1);

    // Notes are searchable too.
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('flight risk');
    await expect.poll(() => page.getByText('1 run matching “flight risk”').isVisible()).toBe(true);

    // Export as a self-contained HTML report through the (test) save dialog.
    const out = tempDir();
    dialogs.nextSave(join(out, 'loan.html'));
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menuitem', { name: /HTML report/ }).click();
    await expect.poll(() => existsSync(join(out, 'loan.html'))).toBe(true);
    const html = readFileSync(join(out, 'loan.html'), 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('documented criteria that apply to every applicant');
    expect(html).not.toMatch(/<script/i);
    expect(dialogs.asked.at(-1)?.options).toMatchObject({ defaultName: 'Loan officer persona.html' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Exported 1 run' }).isVisible()).toBe(true);

    // Nothing matches: the state says what to do next.
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('xylophonist');
    await expect.poll(() => page.getByRole('heading', { name: 'No runs match' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await expect.poll(() => page.getByText('405 runs').isVisible()).toBe(true);
  });

  it('with the Bedrock endpoint gone: history still works, a re-run says plainly why it cannot run, a duplicate opens in the editor', async () => {
    // Bedrock was reachable once (the settings point at it), then went away: a laptop offline.
    const restoreEnv = useTestCredentials();
    const fake = await startFakeBedrock();
    const endpoint = fake.endpoint;
    await fake.close();
    try {
      const dialogs = presetDialogs();
      app = await launchApp({
        services: { dialogs: dialogs.dialogs },
        prepare(services) {
          services.settings.update({ endpoint, region: 'us-east-1', maxAttempts: 1 });
          seedRealisticRuns(services, Date.now() - 60_000);
        },
      });
      const { page } = app;
      await page.getByRole('button', { name: /History/ }).first().click();
      const list = page.getByRole('listbox', { name: 'Runs' });
      await page.getByRole('searchbox', { name: 'Search runs' }).fill('immigrated');
      await expect.poll(() => page.getByText('1 run matching “immigrated”').isVisible()).toBe(true);
      await list.getByRole('option', { name: 'Loan officer persona' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Run results' }).getByText(/documented criteria/).isVisible()).toBe(true);
      const out = tempDir();
      dialogs.nextSave(join(out, 'loan.json'));
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByRole('menuitem', { name: /JSON/ }).click();
      await expect.poll(() => existsSync(join(out, 'loan.json'))).toBe(true);

      // Scores that need no model run offline on a stored run, from History.
      await page.getByRole('button', { name: 'Scores…' }).click();
      const scoresDialog = page.getByRole('dialog', { name: 'Scores' });
      await scoresDialog.getByLabel('Run Words now').check();
      await scoresDialog.getByRole('button', { name: 'Save and score this run' }).click();
      const words = page.getByRole('region', { name: 'Run results' }).locator('[data-scorer="words"]');
      await expect.poll(() => words.count()).toBe(2);
      const loanId = (await list.getByRole('option', { name: 'Loan officer persona' }).getAttribute('data-run-id'))!;
      expect(app.services.scores.get(loanId).scores.filter((score) => score.scorer === 'words').map((score) => score.armIndex).sort()).toEqual([0, 1]);

      // Duplicate: the same configuration in the editor, under a new name; nothing is sent.
      await page.getByRole('button', { name: 'Duplicate to editor' }).click();
      await expect.poll(() => page.getByLabel('Experiment name').inputValue()).toBe('Loan officer persona (copy)');
      await expect.poll(() => page.getByLabel('Mitigated prompt').inputValue()).toContain('recently immigrated');

      // Re-run: both arms fail with the reason and what to do, and the failed run is kept.
      await page.getByRole('button', { name: /History/ }).first().click();
      await list.getByRole('option', { name: 'Loan officer persona' }).click();
      const runsBefore = app.services.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
      await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Re-run' }).click();
      const errors = page.getByRole('region', { name: 'Run results' }).getByRole('alert');
      await expect.poll(() => errors.count(), { timeout: 15_000 }).toBe(2);
      await expect.poll(() => errors.first().textContent()).toMatch(/can't reach http:\/\/127\.0\.0\.1:\d+: .*Check your internet connection, VPN or proxy, and the custom endpoint in Settings/);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'compare-rerun-offline.png') });
      expect(app.services.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(runsBefore + 1);
      await expect.poll(() => app!.services.db.prepare("SELECT status FROM runs ORDER BY started_at DESC LIMIT 1").pluck().get()).toBe('failed');
    } finally {
      restoreEnv();
    }
  });

  it('scrolls a long history to its end and back: far pages leave the page and come back from the database', async () => {
    const { harness } = await launchWithHistory({ generated: 1_500 });
    app = harness;
    const { page } = app;
    const list = page.getByRole('listbox', { name: 'Runs' });
    const firstRow = list.locator('[data-run-id]').first();
    await expect.poll(() => firstRow.getAttribute('aria-label')).toBe('Hiring advice: nurse or engineer');

    // Scrolling a few screens reuses the row elements (new runs in the same elements, nothing
    // built and thrown away per row): every row element there before is still there, most of them
    // showing another run (a window with overscan on both sides adds a few).
    const marked = await list.evaluate((el) => {
      const rows = [...el.querySelectorAll('[data-run-id]')];
      for (const row of rows) (row as unknown as { __seen: string }).__seen = row.getAttribute('data-run-id')!;
      return rows.length;
    });
    expect(marked).toBeGreaterThan(5);
    await list.evaluate((el) => el.scrollTo({ top: el.clientHeight * 3 }));
    await expect.poll(() => list.locator('[data-run-id]').first().getAttribute('aria-label')).not.toBe('Hiring advice: nurse or engineer');
    const reused = await list.evaluate((el) =>
      [...el.querySelectorAll('[data-run-id]')].map((row) => ({ seen: (row as unknown as { __seen?: string }).__seen ?? null, now: row.getAttribute('data-run-id') })),
    );
    expect(reused.filter((row) => row.seen !== null).length).toBe(marked);
    expect(reused.filter((row) => row.seen !== null && row.seen !== row.now).length).toBeGreaterThan(marked / 2);
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => firstRow.getAttribute('aria-label')).toBe('Hiring advice: nurse or engineer');

    // To the end: every page loads as it comes into view.
    await expect
      .poll(async () => {
        await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
        return list.evaluate((el) => Math.round(el.scrollHeight / 104));
      }, { timeout: 20_000, interval: 50 })
      .toBe(1_505);
    await expect.poll(() => list.locator('[data-run-id]').last().getAttribute('aria-label')).not.toBeNull();

    // Back to the top: the first page had been let go, so it is fetched again from its cursor.
    const before = app.calls.length;
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => firstRow.getAttribute('aria-label')).toBe('Hiring advice: nurse or engineer');
    const refetched = app.calls.slice(before).filter((call) => call.channel === 'history:list');
    expect(refetched.length).toBeGreaterThan(0);
    expect(refetched[0]!.request).toMatchObject({ cursor: null, withTotal: false });
    await expect.poll(() => list.getByText('Loading…').count()).toBe(0);
  });

  it('filters by status, model and starred, deletes with undo, and compares two runs', async () => {
    const { harness } = await launchWithHistory({ generated: 200 });
    app = harness;
    const { page } = app;
    const list = page.getByRole('listbox', { name: 'Runs' });
    await expect.poll(() => page.getByText('205 runs').isVisible()).toBe(true);

    await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
    const failed = app.services.db.prepare("SELECT COUNT(*) FROM runs WHERE status = 'failed'").pluck().get() as number;
    await expect.poll(() => page.getByText(`${failed} runs`).isVisible()).toBe(true);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');
    await page.getByRole('combobox', { name: 'Model' }).selectOption('amazon.nova-pro-v1:0');
    const proRuns = app.services.db.prepare("SELECT COUNT(DISTINCT run_id) FROM arm_outputs WHERE model_id = 'amazon.nova-pro-v1:0'").pluck().get() as number;
    await expect.poll(() => page.getByText(`${proRuns} runs`).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // Delete, then undo from the toast.
    await list.getByRole('option', { name: 'Describe a typical CEO' }).click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => page.getByText('Moved 1 run to the trash.').isVisible()).toBe(true);
    await expect.poll(() => list.getByRole('option', { name: 'Describe a typical CEO' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => list.getByRole('option', { name: 'Describe a typical CEO' }).count()).toBe(1);

    // Tick two runs and compare them side by side.
    await list.getByRole('checkbox', { name: 'Select Describe a typical CEO' }).click();
    await list.getByRole('checkbox', { name: 'Select Loan officer persona' }).click();
    await page.getByRole('toolbar', { name: 'Selected runs' }).getByRole('button', { name: 'Compare' }).click();
    // run against run: arm by arm, configuration, scores and the answers' diff
    const against = page.getByRole('region', { name: 'Run against run' });
    await expect.poll(() => against.getByRole('article', { name: /^(Baseline|Arm \d)/ }).count()).toBe(2);
    await expect.poll(() => against.getByRole('region', { name: 'Answer changes' }).first().textContent()).toContain('middle-aged');
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await expect.poll(() => list.isVisible()).toBe(true);
  });

  it('acts on a selection: shift-click a range, then star, tag, collect, export and delete with undo', async () => {
    const { harness, dialogs } = await launchWithHistory();
    app = harness;
    const { page } = app;
    const list = page.getByRole('listbox', { name: 'Runs' });
    await list.getByRole('checkbox', { name: 'Select Hiring advice: nurse or engineer' }).click();
    await list.getByRole('checkbox', { name: 'Select Tenant screening checklist' }).click({ modifiers: ['Shift'] });
    const bulk = page.getByRole('toolbar', { name: 'Selected runs' });
    await expect.poll(() => bulk.getByText('4 selected').isVisible()).toBe(true);
    const selected = await list.locator('[aria-selected] input:checked').count();
    expect(selected).toBe(4);
    const ids = (await list.locator('[data-run-id]').evaluateAll((rows) => rows.slice(0, 4).map((row) => row.getAttribute('data-run-id')))) as string[];
    const meta = () => ids.map((id) => app!.services.history.meta(id)!);

    await bulk.getByRole('button', { name: 'Star selected' }).click();
    await expect.poll(() => meta().every((m) => m.starred)).toBe(true);

    await bulk.getByRole('button', { name: 'Tag' }).click();
    const tagDialog = page.getByRole('dialog', { name: 'Tag 4 runs' });
    await tagDialog.getByLabel('Tag').fill('#study-b');
    await tagDialog.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => meta().every((m) => m.tags.includes('study-b'))).toBe(true);

    await bulk.getByRole('button', { name: 'Collect' }).click();
    await page.getByRole('menuitem', { name: 'New collection…' }).click();
    const collectionDialog = page.getByRole('dialog', { name: 'New collection' });
    await collectionDialog.getByLabel('Collection name').fill('Study B');
    await collectionDialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => meta().every((m) => m.collections.some((c) => c.name === 'Study B'))).toBe(true);

    const out = tempDir();
    dialogs.nextSave(join(out, 'four.md'));
    await bulk.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: /Markdown/ }).click();
    await expect.poll(() => existsSync(join(out, 'four.md'))).toBe(true);
    const markdown = readFileSync(join(out, 'four.md'), 'utf8');
    expect(markdown.match(/^## /gm)).toHaveLength(4);
    expect(markdown).toContain('## Describe a typical CEO');

    await bulk.getByRole('button', { name: 'Delete selected' }).click();
    await expect.poll(() => page.getByText('401 runs').isVisible()).toBe(true);
    expect(meta().every((m) => m.deletedAt !== null)).toBe(true);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByText('405 runs').isVisible()).toBe(true);
    expect(meta().every((m) => m.deletedAt === null && m.starred && m.tags.includes('study-b'))).toBe(true);
  });

  it('imports a workshop pack offline and clicks through it like live runs', async () => {
    // A facilitator's machine makes the pack...
    const facilitator = tempDir();
    const packPath = join(tempDir(), 'nurses.parallax');
    const source = createServices({ dataDir: facilitator, version: 'test' });
    const ids = seedRealisticRuns(source, Date.now() - 86_400_000);
    source.packs.write(packPath, ids.slice(0, 3), { title: 'Workshop: loaded assumptions', author: 'R. Facilitator', description: 'Three runs to discuss' });
    source.close();

    // ...a trainee with an empty history imports it.
    const dialogs = presetDialogs();
    app = await launchApp({ services: { dialogs: dialogs.dialogs } });
    const { page } = app;
    await page.getByRole('button', { name: /History/ }).first().click();
    await expect.poll(() => page.getByRole('heading', { name: 'No runs yet' }).isVisible()).toBe(true);
    dialogs.nextOpen(packPath);
    await page.getByRole('button', { name: 'Import a workshop pack' }).click();
    await expect.poll(() => page.getByText(/Imported 3 runs from the pack “Workshop: loaded assumptions”/).isVisible()).toBe(true);
    const list = page.getByRole('listbox', { name: 'Runs' });
    await expect.poll(() => list.getByRole('option').count()).toBe(3);
    await list.getByRole('option', { name: 'Hiring advice: nurse or engineer' }).click();
    await expect.poll(() => page.getByText('From “Workshop: loaded assumptions” by R. Facilitator').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('region', { name: 'Run results' }).getByText(/Senior nurses and nurse practitioners/).isVisible()).toBe(true);

    // The image run came with its pictures: each arm shows its own, decoded from the pack.
    await list.getByRole('option', { name: 'Describe a typical CEO' }).click();
    const mitigatedImages = page.getByRole('list', { name: 'Images from Mitigated' }).locator('img');
    await expect.poll(() => mitigatedImages.count()).toBe(2);
    await expect.poll(() => page.getByRole('list', { name: 'Images from Baseline' }).locator('img').count()).toBe(1);
    await expect.poll(() => mitigatedImages.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(48);
    expect(await mitigatedImages.first().getAttribute('alt')).toBe('Mitigated, image 1');

    // A reviewer adds a category, tags an image in the lightbox, and the chart counts it for that arm.
    const gallery = page.getByRole('region', { name: 'Image comparison' });
    await expect.poll(() => gallery.getByText(/a reviewer’s perceptions of how people in generated images appear, not facts/).isVisible()).toBe(true);
    await gallery.getByRole('button', { name: 'Edit categories' }).click();
    await gallery.getByRole('button', { name: '+ Apparent age group' }).click();
    await expect.poll(() => gallery.getByRole('img', { name: 'Apparent age group: reviewer perceptions per arm' }).isVisible()).toBe(true);
    await gallery.getByRole('button', { name: 'Open Mitigated, image 1' }).click();
    const lightbox = page.getByRole('dialog', { name: /^Mitigated · image 1/ });
    await expect.poll(() => lightbox.locator('canvas[data-drawn]:not([hidden])').evaluateAll((pictures) => pictures.map((p) => (p as HTMLCanvasElement).dataset.naturalWidth)), { timeout: 30_000 }).toEqual(['48']);
    await lightbox.getByLabel('Apparent age group').selectOption('Older adult');
    await lightbox.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => gallery.getByRole('img', { name: 'Apparent age group: reviewer perceptions per arm' }).getByText('n=1').count()).toBe(1);
    expect(app.services.db.prepare("SELECT value FROM image_annotations").pluck().all()).toEqual(['Older adult']);

    // Importing the same pack again adds nothing.
    dialogs.nextOpen(packPath);
    await page.getByRole('button', { name: 'Import…' }).click();
    await expect.poll(() => page.getByText(/Imported 0 runs; skipped 3 runs already in your history/).isVisible()).toBe(true);
    expect(app.services.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(3);
  });

  it('shows the size and checks the database in Settings, and backs it up', async () => {
    const dialogs = presetDialogs();
    app = await launchApp({
      services: { dialogs: dialogs.dialogs },
      prepare: (services) => void seedRealisticRuns(services, Date.now()),
    });
    const { page } = app;
    await page.getByRole('button', { name: /Settings/ }).first().click();
    await expect.poll(() => page.getByText('Database size').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Check integrity' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Integrity check' }).getByText('The search index matches the runs.').isVisible()).toBe(true);
    const out = join(tempDir(), 'backup.db');
    dialogs.nextSave(out);
    await page.getByRole('button', { name: 'Back up…' }).click();
    await expect.poll(() => page.getByText(/Backed up .* to /).isVisible()).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('looks like a desktop app in light and dark (screenshots)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      const { harness } = await launchWithHistory({ colorScheme, generated: 300 });
      app = harness;
      const { page } = app;
      const list = page.getByRole('listbox', { name: 'Runs' });
      await expect.poll(() => list.getByRole('option').count()).toBeGreaterThan(4);
      const first = list.getByRole('option', { name: 'Hiring advice: nurse or engineer' });
      await first.click();
      await page.getByRole('textbox', { name: 'Add a tag' }).fill('workshop-3');
      await page.getByRole('textbox', { name: 'Add a tag' }).press('Enter');
      await page.getByRole('toolbar', { name: 'Run actions' }).getByRole('button', { name: 'Star' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Run results' }).isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `history-run-${colorScheme}.png`) });

      await list.getByRole('option', { name: 'Describe a typical CEO' }).click();
      await expect.poll(() => page.getByRole('list', { name: 'Images from Mitigated' }).getByRole('img').count()).toBe(2);
      await page.screenshot({ path: join(SCREENSHOTS, `history-images-${colorScheme}.png`) });

      await page.getByRole('searchbox', { name: 'Search runs' }).fill('nurse');
      await expect.poll(() => list.locator('mark').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(SCREENSHOTS, `history-search-${colorScheme}.png`) });

      await page.getByRole('searchbox', { name: 'Search runs' }).fill('xylophonist');
      await expect.poll(() => page.getByRole('heading', { name: 'No runs match' }).isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `history-noresults-${colorScheme}.png`) });
      await app.close();
      app = undefined;
    }
  });
});
