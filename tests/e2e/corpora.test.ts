/** The Corpora screen in Chromium over the real handler table, embeddings from the fake Bedrock over the wire. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchApp, SCREENSHOTS, type AppHarness } from '../support/harness';
import { startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock';
import { useTestCredentials } from '../support/fake-bedrock-env';
import { makePdf } from '../support/pdf';
import { presetDialogs } from '../support/preset-dialogs';

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

const LONG = { timeout: 30_000 };

describe('Corpora', () => {
  it('adds the sample handbook, retrieves by keyword offline, indexes with progress, retrieves semantically, and reports files it cannot add', async () => {
    fake = await startFakeBedrock();
    const endpoint = fake.endpoint;
    const dialogs = presetDialogs();
    app = await launchApp({ services: { dialogs: dialogs.dialogs }, prepare: (services) => void services.settings.update({ endpoint, region: 'us-east-1', maxAttempts: 1 }) });
    const { page } = app;

    await page.getByRole('button', { name: /Corpora/ }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Corpora', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No corpus yet').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add the sample handbook' }).click();

    const detail = page.getByRole('region', { name: 'Corpus AnyCompany Bank handbook' });
    const documents = detail.locator('table.corpus-documents');
    await expect.poll(() => documents.getByRole('row').count(), LONG).toBe(9); // header + 8 files
    await expect.poll(() => documents.getByRole('row', { name: /03-fee-schedule\.pdf/ }).textContent()).toMatch(/03-fee-schedule\.pdf.*KB3/);
    await expect.poll(() => detail.getByText(/Tokens are counted as words, numbers and punctuation marks/).first().isVisible()).toBe(true);
    await expect.poll(() => detail.getByText(/0 of \d+ passages embedded\. Keyword search works now, offline/).isVisible()).toBe(true);

    // Keyword retrieval before any embedding: ranks, scores, sources, pages, terms marked.
    const viewer = detail.getByRole('region', { name: 'Retrieval viewer' });
    await viewer.getByLabel('Question').fill('What is the overdraft fee?');
    await viewer.getByLabel('Mode').selectOption('keyword');
    await viewer.getByRole('button', { name: 'Retrieve' }).click();
    const results = viewer.getByRole('list', { name: 'Retrieved passages' }).getByRole('listitem');
    await expect.poll(() => results.count(), LONG).toBe(5);
    await expect.poll(() => results.first().textContent()).toMatch(/^\[1\]03-fee-schedule\.pdf · pp?\. [\d–]+ · passage \dBM25 \d+\.\d\d/);
    expect(await viewer.getByRole('status').textContent()).toMatch(/terms: overdraft, fee/);
    const marked = await results.first().locator('mark').allTextContents();
    expect(marked.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['overdraft', 'fee']));

    // Index: progress while it runs, then everything embedded.
    fake.setDefaultPace({ firstTokenMs: 0 });
    await detail.getByRole('button', { name: /^Index \d+ passages/ }).click();
    await expect.poll(() => detail.getByText(/All \d+ passages are embedded/).isVisible(), LONG).toBe(true);
    const progress = app.events.filter((e) => e.event === 'rag:progress').map((e) => e.payload as { done: number; total: number; finished: boolean });
    expect(progress.at(-1)).toMatchObject({ finished: true });
    expect(fake.requests.some((r) => r.operation === 'InvokeModel' && r.body?.dimensions === 1024)).toBe(true);

    await viewer.getByLabel('Mode').selectOption('semantic');
    await viewer.getByLabel('Question').fill('How long does a replacement debit card take?');
    await viewer.getByRole('button', { name: 'Retrieve' }).click();
    await expect.poll(() => viewer.getByRole('status').textContent(), LONG).toMatch(/5 passages in .* ms · terms: long, replacement, debit, card, take/);
    await expect.poll(() => results.first().textContent()).toMatch(/cosine 0\.\d{3}/);
    expect(await results.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\[\d\]02-cards\.md/)]));

    // Drop three files: one good, one empty, one scanned PDF. The good one is added, the others explained.
    const scanned = Buffer.from(await makePdf([null])).toString('base64');
    const dataTransfer = await page.evaluateHandle((pdf) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['# Branch tips\nThe Lisbon branch serves pastel de nata on Fridays.'], 'tips.md', { type: 'text/markdown' }));
      transfer.items.add(new File([''], 'empty.txt', { type: 'text/plain' }));
      transfer.items.add(new File([Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0))], 'scan.pdf', { type: 'application/pdf' }));
      return transfer;
    }, scanned);
    await detail.getByLabel('Drop .txt, .md or .pdf files here').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => detail.getByRole('status').filter({ hasText: 'Added' }).textContent(), LONG).toBe('Added tips.md.');
    const problems = detail.getByRole('alert').filter({ hasText: 'were not added' });
    await expect.poll(() => problems.textContent()).toContain('2 files were not added:');
    expect(await problems.textContent()).toContain('"empty.txt" is empty: there is no text to add.');
    expect(await problems.textContent()).toMatch(/"scan\.pdf" has no text layer .*OCR/);
    await expect.poll(() => documents.getByRole('row').count()).toBe(10);

    // The file dialog: the chosen file is added; its passages are not embedded yet.
    const chosen = join(app.dataDir, 'opening-hours.txt');
    writeFileSync(chosen, 'Branches open at nine on weekdays and close at one on Saturdays.');
    dialogs.nextOpen(chosen);
    await detail.getByRole('button', { name: 'Add files…' }).click();
    await expect.poll(() => detail.getByRole('status').filter({ hasText: 'Added' }).textContent(), LONG).toBe('Added opening-hours.txt.');
    await expect.poll(() => detail.getByRole('button', { name: /^Index 2 passages/ }).isVisible()).toBe(true);

    // Removing a document removes its passages.
    page.once('dialog', (d) => void d.accept());
    await documents.getByRole('button', { name: 'Remove tips.md' }).click();
    await expect.poll(() => documents.getByRole('row').count()).toBe(10);
    await expect.poll(() => detail.getByRole('button', { name: /^Index 1 passage$/ }).isVisible()).toBe(true);

    await viewer.getByLabel('Mode').selectOption('keyword');
    await viewer.getByLabel('Question').fill('overdraft fee');
    await viewer.getByRole('button', { name: 'Retrieve' }).click();
    await expect.poll(() => results.count(), LONG).toBe(5);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'corpora-documents.png') });
    await results.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'corpora-retrieval.png') });
  });
});
