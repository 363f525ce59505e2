import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';

let app: AppHarness | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(closeBrowser);

describe('the app shell in Chromium, over the real handler table', () => {
  it('creates a saved experiment through the UI and finds it again after a reload and a restart', async () => {
    app = await launchApp();
    const { page } = app;
    await expect.poll(() => page.getByText('No saved experiments yet').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'New experiment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New experiment' });
    await dialog.getByLabel('Name').fill('Hiring advice, two framings');
    await dialog.getByLabel('Description').fill('Does a bias guard change the answer?');
    await dialog.getByLabel('Baseline prompt').fill('Who makes a better engineer, ${group_a} or ${group_b}?');
    await dialog.getByRole('button', { name: 'Create experiment' }).click();

    const saved = page.getByRole('list', { name: 'Saved experiments' });
    await expect.poll(() => saved.getByText('Hiring advice, two framings').isVisible()).toBe(true);
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await page.reload();
    await expect.poll(() => saved.getByText('Hiring advice, two framings').isVisible()).toBe(true);

    await app.restart();
    await expect.poll(() => saved.getByText('Does a bias guard change the answer?').isVisible()).toBe(true);
    expect(app.services.experiments.list()).toHaveLength(1);

    // Opened in Compare it holds only the baseline: Run waits for a mitigated arm.
    await page.getByRole('button', { name: 'Open Hiring advice, two framings in Compare' }).click();
    const hint = page.getByRole('alert').filter({ hasText: 'Add a mitigated arm' });
    await expect.poll(() => hint.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: /^Run/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: /Add arm/ }).click();
    await expect.poll(() => hint.count()).toBe(0);
  });

  it('refuses a blank name with a message that says what to do, and saves nothing', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: 'New experiment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New experiment' });
    await dialog.getByLabel('Name').fill('   ');
    await dialog.getByRole('button', { name: 'Create experiment' }).click();

    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('Give the experiment a name');
    expect(app.services.experiments.list()).toHaveLength(0);
  });

  it('follows the OS theme, switches by hand, and keeps the choice across reloads', async () => {
    app = await launchApp({ colorScheme: 'dark' });
    const { page } = app;
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await expect.poll(theme).toBe('dark');

    await page.getByRole('radio', { name: 'Light' }).click();
    await expect.poll(theme).toBe('light');
    await page.reload();
    await expect.poll(theme).toBe('light');

    await page.getByRole('radio', { name: 'Follow system' }).click();
    await expect.poll(theme).toBe('dark');
  });

  it('moves between screens with the sidebar and Ctrl+number, each with an empty state', async () => {
    app = await launchApp();
    const { page } = app;
    await page.getByRole('button', { name: /History/ }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No runs yet' }).isVisible()).toBe(true);
    await page.keyboard.press('Control+2');
    await expect.poll(() => page.getByRole('heading', { name: 'Compare', level: 1 }).isVisible()).toBe(true);
    await page.keyboard.press('Control+4');
    await expect.poll(() => page.getByText('parallax.db').isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Settings', level: 1 }).isVisible()).toBe(true);
  });

  it('enforces the Content-Security-Policy: injected inline script does not run', async () => {
    app = await launchApp();
    const ran = await app.page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __injected?: boolean }).__injected ?? false;
    });
    expect(ran).toBe(false);
  });

  it('rejects a request that breaks the contract before any handler sees it', async () => {
    app = await launchApp();
    const envelope = await app.page.evaluate(() =>
      window.parallax!.invoke('experiments:save', { name: 'x', config: { arms: [] } } as never),
    );
    expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const unknown = await app.page.evaluate(() => window.parallax!.invoke('shell:exec' as never, {} as never));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(app.services.experiments.list()).toHaveLength(0);
  });

  it('looks like a desktop app in light and dark (screenshots)', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      app = await launchApp({ colorScheme });
      const { page } = app;
      await page.getByRole('button', { name: 'New experiment' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New experiment' });
      await dialog.getByLabel('Name').fill('Loaded assumptions: nurses');
      await dialog.getByLabel('Description').fill('Neutral rephrasing versus the loaded original.');
      await dialog.getByRole('button', { name: 'Create experiment' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await page.screenshot({ path: join(SCREENSHOTS, `shell-labs-${colorScheme}.png`) });
      await page.keyboard.press('Control+3');
      await page.screenshot({ path: join(SCREENSHOTS, `shell-history-${colorScheme}.png`) });
      await app.close();
      app = undefined;
    }
  });
});
