/**
 * The application menu's commands (app:command) and long-task progress (app:progress) in the
 * built renderer, over the real handler table; the integrity check runs in the store worker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { generateHistory } from '../support/history-fixtures';
import { sourceStoreWorker } from '../support/store-worker';

let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(closeBrowser);

const push = (harness: AppHarness, event: string, payload: unknown) =>
  harness.page.evaluate(([name, data]) => (window as unknown as { __parallaxEmit: (e: string, p: unknown) => void }).__parallaxEmit(name, data), [event, payload] as const);

describe('menu commands reach the renderer', () => {
  it('Settings, New comparison and Export act on what the window shows', async () => {
    app = await launchApp();
    const { page } = app;
    await push(app, 'app:command', { command: 'settings' });
    await expect.poll(() => page.getByRole('heading', { name: 'Settings', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);
    await push(app, 'app:command', { command: 'new-comparison' });
    await expect.poll(() => page.getByRole('button', { name: /Add arm/ }).isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: /^Run/ }).isVisible()).toBe(true);
    await push(app, 'app:command', { command: 'export' });
    await expect.poll(() => page.getByText('Select the runs to export here in History').isVisible(), { timeout: 15_000 }).toBe(true);
  });
});

describe('long tasks show progress', () => {
  it('shows a bar for a task that runs a while and removes it when the task ends', async () => {
    app = await launchApp();
    const { page } = app;
    await push(app, 'app:progress', { taskId: 't1', label: 'Rebuilding the search index', done: 1, total: 4, state: 'running' });
    const bar = page.getByRole('progressbar', { name: 'Rebuilding the search index' });
    await expect.poll(() => bar.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Rebuilding the search index… 25%' }).isVisible()).toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'task-progress.png') });
    await push(app, 'app:progress', { taskId: 't1', label: 'Rebuilding the search index', done: 1, total: 1, state: 'done' });
    await expect.poll(() => bar.count(), { timeout: 15_000 }).toBe(0);
  });

  it('runs Check integrity in the store worker and reports its progress to the window', async () => {
    app = await launchApp({ services: { storeWorker: sourceStoreWorker() }, prepare: (services) => void generateHistory(services.db, { runs: 300 }) });
    const { page } = app;
    expect(app.services.jobs.threaded).toBe(true);
    await page.getByRole('button', { name: /Settings/ }).first().click();
    await page.getByRole('button', { name: 'Check integrity' }).click();
    const checks = page.getByRole('list', { name: 'Integrity check' });
    await expect.poll(() => checks.getByText('No damage found').isVisible(), { timeout: 30_000 }).toBe(true);
    const progress = app.events.filter((e) => e.event === 'app:progress').map((e) => e.payload as { label: string; state: string });
    expect(progress[0]).toMatchObject({ label: 'Checking the database', state: 'running' });
    expect(progress.at(-1)).toMatchObject({ label: 'Checking the database', state: 'done' });
  });
});
