/** The Settings screen's Amazon Bedrock section, in Chromium over the real handler table. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock';
import { useTestCredentials } from '../support/fake-bedrock-env';

let app: AppHarness | undefined;
let fake: FakeBedrock | undefined;
let restoreEnv: () => void;

beforeAll(() => {
  restoreEnv = useTestCredentials();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake?.close();
  fake = undefined;
});
afterAll(async () => {
  await closeBrowser();
  restoreEnv();
});

async function openSettings(harness: AppHarness) {
  const { page } = harness;
  await page.getByRole('button', { name: /Settings/ }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Settings', level: 1 }).isVisible()).toBe(true);
  const section = page.getByRole('region', { name: 'Amazon Bedrock' });
  await expect.poll(() => section.getByLabel('Custom endpoint').isVisible()).toBe(true);
  return section;
}

describe('Settings: Amazon Bedrock', () => {
  it('tests the connection against the endpoint typed in, saves it, then reports the endpoint offline once it stops', async () => {
    fake = await startFakeBedrock();
    app = await launchApp();
    const { page } = app;
    const section = await openSettings(app);

    await expect.poll(() => section.getByText('credentials are never stored by Parallax').isVisible()).toBe(true);
    await section.getByLabel('Custom endpoint').fill(fake.endpoint);
    await section.getByLabel('Max attempts').fill('1');
    await section.getByRole('button', { name: 'Test connection' }).click();

    const ok = section.getByRole('status').filter({ hasText: 'Connected to' });
    await expect.poll(() => ok.textContent(), { timeout: 15_000 }).toContain(`Connected to ${fake.endpoint}.`);
    await expect.poll(() => ok.textContent()).toContain('9 foundation models available');
    expect(fake.requests.map((r) => r.operation)).toEqual(['ListFoundationModels']);

    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByRole('status').filter({ hasText: 'Saved' }).isVisible()).toBe(true);
    expect(app.services.settings.get()).toMatchObject({ endpoint: fake.endpoint, maxAttempts: 1 });

    // Guardrails are a best-effort list: when the identity may not list them, the refresh says so.
    fake.on({ operation: 'ListGuardrails', times: 1, error: { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: bedrock:ListGuardrails' } });
    await section.getByRole('button', { name: 'Refresh model list' }).click();
    await expect.poll(() => section.getByText(/Model list for us-east-1 fetched/).isVisible()).toBe(true);
    const warnings = section.getByRole('list', { name: 'Model list warnings' });
    await expect.poll(() => warnings.textContent()).toMatch(/Guardrails could not be listed: .*bedrock:ListGuardrails.*you can still type a guardrail id/);
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-bedrock-warnings.png'), fullPage: false });
    await section.getByRole('button', { name: 'Refresh model list' }).click();
    await expect.poll(() => warnings.count()).toBe(0);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-bedrock-connected.png'), fullPage: true });

    const endpoint = fake.endpoint;
    await fake.close();
    fake = undefined;
    await section.getByRole('button', { name: 'Test connection' }).click();
    const failure = section.getByRole('alert');
    await expect.poll(() => failure.textContent(), { timeout: 15_000 }).toContain(`Parallax can't reach ${endpoint}: the connection was refused (ECONNREFUSED).`);
    await expect.poll(() => failure.textContent()).toContain('Offline');
    await failure.getByText('Details').click();
    await expect.poll(() => failure.locator('pre').textContent()).toContain('ECONNREFUSED');
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-bedrock-offline.png'), fullPage: true });

    // The model pickers still work offline, from the cached catalog.
    await page.reload();
    const again = await openSettings(app);
    await expect.poll(() => again.getByText(/Model list for us-east-1 fetched/).isVisible()).toBe(true);
    const generation = again.getByLabel('Generation');
    await generation.selectOption('anthropic.claude-3-haiku-20240307-v1:0');
    await again.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => app!.services.settings.get().models.generation).toBe('anthropic.claude-3-haiku-20240307-v1:0');
  });

  it('edits a model price, which cost estimates then use, and resets it', async () => {
    app = await launchApp();
    const section = await openSettings(app);
    await section.getByText('Model prices (USD)').click();
    const input = section.getByLabel('Nova Lite input / 1K tokens');
    await expect.poll(() => input.inputValue()).toBe('0.00006');
    await input.fill('0.5');
    await input.blur();
    await expect.poll(() => app!.services.catalog.priceOf('amazon.nova-lite-v1:0')?.source).toBe('user');
    expect(app.services.bedrock.estimateCost('amazon.nova-lite-v1:0', 2_000, 0)).toBeCloseTo(1, 10);
    await section.getByRole('button', { name: 'Yours · reset' }).click();
    await expect.poll(() => app!.services.catalog.priceOf('amazon.nova-lite-v1:0')?.source).toBe('estimate');
    await expect.poll(() => section.getByLabel('Nova Lite input / 1K tokens').inputValue()).toBe('0.00006');
  });

  it('refuses an invalid endpoint with a message that says what to enter', async () => {
    app = await launchApp();
    const section = await openSettings(app);
    await section.getByLabel('Custom endpoint').fill('localhost:4000');
    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('Use a full URL');
    expect(app.services.settings.get().endpoint).toBeNull();
  });

  it('Troubleshooting: the debug switches save through the contract and are still set after a reload', async () => {
    app = await launchApp();
    const { page } = app;
    await openSettings(app);
    const section = page.getByRole('region', { name: 'Troubleshooting' });
    const verbose = section.getByRole('checkbox', { name: /Verbose logging/ });
    const devTools = section.getByRole('checkbox', { name: /Developer tools/ });
    await expect.poll(() => section.getByText(join(app!.services.info.dataDir, 'logs')).isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await verbose.isChecked()).toBe(false);
    await verbose.check();
    await expect.poll(() => app!.services.debug.state().verboseLogging).toBe(true);
    await expect.poll(() => devTools.isEnabled()).toBe(true); // the first save has answered
    await devTools.check();
    await expect.poll(() => section.getByText('Developer tools come with the next start').isVisible()).toBe(true);
    expect(JSON.parse(readFileSync(join(app.services.info.dataDir, 'shell.json'), 'utf8'))).toMatchObject({ devTools: true, verboseLogging: true });

    await page.reload();
    await openSettings(app);
    const again = page.getByRole('region', { name: 'Troubleshooting' });
    await expect.poll(() => again.getByRole('checkbox', { name: /Verbose logging/ }).isChecked(), { timeout: 30_000 }).toBe(true);
    await again.getByRole('checkbox', { name: /Developer tools/ }).uncheck();
    await expect.poll(() => app!.services.debug.state().devTools).toBe(false);
    expect(app.services.debug.state().verboseLogging).toBe(true);
  });
});
