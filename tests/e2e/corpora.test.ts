/** The Corpora screen in Chromium over the real handler table, embeddings from the fake Bedrock over the wire. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/handlers';
import { guidedLabs } from '../../shared/labs';
import { EVAL_METRIC_NAMES, EVAL_METRICS, SAMPLE_QA_SET } from '../../shared/rag/qa';
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

const MODEL = 'amazon.nova-lite-v1:0';
const VERY_LONG = { timeout: 90_000 };
const tool = (name: string, input: unknown) => ({ reply: { toolUse: { name, input } } });

/** The sample handbook added and embedded (by the fake over the wire) before the page loads. */
async function launchWithSample(dialogs = presetDialogs()) {
  fake = await startFakeBedrock();
  const endpoint = fake.endpoint;
  let corpusId = '';
  app = await launchApp({
    viewport: { width: 1400, height: 1100 },
    services: { dialogs: dialogs.dialogs },
    async prepare(services) {
      services.settings.update({ endpoint, region: 'us-east-1', maxAttempts: 1 });
      await services.catalog.refresh();
      const corpus = await createHandlers(services, () => undefined)['rag:add-sample']({});
      expect((await services.rag.startIndex(corpus.id)).error).toBeNull();
      corpusId = corpus.id;
    },
  });
  return { app, fake, dialogs, corpusId };
}

describe('Evaluation over the question set', () => {
  it('runs the sample Q&A set over the baseline and a grounded arm with progress, shows the judges, hit rate and MRR with averages and deltas, and exports CSV', async () => {
    const { app, fake, dialogs } = await launchWithSample();
    const { page } = app;
    // Answers stream a little slowly so the progress bar is there to see.
    fake.on({ operation: 'ConverseStream', prompt: /<sources>/, pace: { firstTokenMs: 60, tokensPerSecond: 100, wordsPerChunk: 2 }, reply: { text: 'GROUNDED: the handbook says so [1].' } });
    fake.on({ operation: 'ConverseStream', pace: { firstTokenMs: 60, tokensPerSecond: 100, wordsPerChunk: 2 }, reply: { text: 'MEMORY: banks usually charge about $30.' } });
    fake.on({ prompt: 'record_faithfulness', ...tool('record_faithfulness', { reasoning: 'Supported by source 1.', passed: true }) });
    fake.on({ prompt: /record_relevancy[\s\S]*MEMORY/, ...tool('record_relevancy', { reasoning: 'Generic.', passed: false }) });
    fake.on({ prompt: 'record_relevancy', ...tool('record_relevancy', { reasoning: 'On topic.', passed: true }) });
    fake.on({ prompt: /record_correctness[\s\S]*MEMORY/, ...tool('record_correctness', { reasoning: 'Wrong figure.', score: 2 }) });
    fake.on({ prompt: 'record_correctness', ...tool('record_correctness', { reasoning: 'Matches the reference.', score: 4 }) });
    fake.on({ prompt: /record_guidelines[\s\S]*MEMORY/, ...tool('record_guidelines', { results: [{ guideline: 'only the handbook', passed: false, feedback: 'From memory.' }, { guideline: 'no invented rates', passed: true, feedback: 'Yes.' }] }) });
    fake.on({ prompt: 'record_guidelines', ...tool('record_guidelines', { results: [{ guideline: 'only the handbook', passed: true, feedback: 'Yes.' }, { guideline: 'no invented rates', passed: true, feedback: 'Yes.' }] }) });

    await page.getByRole('button', { name: 'Evaluate' }).click();
    const setup = page.getByRole('form', { name: 'Evaluation setup' });
    await expect.poll(() => setup.getByLabel('Evaluation retrieval corpus').locator('option:checked').textContent(), LONG).toContain('AnyCompany Bank handbook');
    // Two arms: the baseline and Grounded.
    await setup.getByRole('checkbox', { name: /^Grounded \+ clarify/ }).uncheck();
    const count = SAMPLE_QA_SET.items.length;
    expect(count).toBeGreaterThanOrEqual(12);
    await expect.poll(() => setup.getByText(`${count} questions × 2 arms = ${count * 2} answers`, { exact: false }).isVisible()).toBe(true);
    await setup.getByRole('button', { name: 'Run evaluation' }).click();

    const bar = setup.getByRole('group', { name: 'Evaluation progress' });
    await expect.poll(() => bar.getByRole('progressbar').isVisible(), LONG).toBe(true);
    await expect.poll(async () => Number(await bar.getByRole('progressbar').getAttribute('value')), LONG).toBeGreaterThan(0);
    expect(await bar.textContent()).toMatch(new RegExp(`\\d+ of ${count * 2} answers judged`));
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluation-running.png') });

    const results = page.getByRole('region', { name: 'Evaluation results' });
    await expect.poll(() => results.isVisible(), VERY_LONG).toBe(true);
    expect(await bar.isVisible()).toBe(false);
    const averages = results.locator('table.eval-averages');
    const headers = await averages.locator('thead th').allTextContents();
    expect(headers).toEqual(['Arm', ...EVAL_METRICS.map((m) => EVAL_METRIC_NAMES[m])]);
    expect(headers).toEqual(['Arm', 'Faithfulness', 'Relevancy', 'Correctness', 'Guidelines', 'Hit rate', 'MRR']);
    const cell = (arm: string, metric: string) => averages.getByRole('row', { name: arm }).locator(`td[data-metric="${metric}"]`);
    // The baseline answers from memory: no sources, so no faithfulness, hit rate or MRR.
    expect(await cell('Baseline (from memory)', 'faithfulness').textContent()).toBe('—');
    expect(await cell('Baseline (from memory)', 'relevancy').textContent()).toBe('0% pass');
    expect(await cell('Baseline (from memory)', 'correctness').textContent()).toBe('2.0 / 5');
    expect(await cell('Baseline (from memory)', 'hitRate').textContent()).toBe('—');
    // Grounded: its averages, each with its change against the baseline.
    expect(await cell('Grounded', 'faithfulness').textContent()).toBe('100% pass');
    expect(await cell('Grounded', 'relevancy').textContent()).toBe('100% pass+100 pts');
    expect(await cell('Grounded', 'correctness').textContent()).toBe('4.0 / 5+2.0');
    expect(await cell('Baseline (from memory)', 'guidelines').textContent()).toBe('50%');
    expect(await cell('Grounded', 'guidelines').textContent()).toBe('100%+50 pts');
    expect(await cell('Grounded', 'hitRate').textContent()).toMatch(/^\d+% found$/);
    expect(await cell('Grounded', 'mrr').textContent()).toMatch(/^[01]\.\d\d$/);
    expect(await cell('Grounded', 'relevancy').locator('.eval-delta--better').count()).toBe(1);

    // Every answer: one group per question, a row per arm with the four judges' cells.
    const rows = results.locator('table.eval-rows tbody tr[data-arm]');
    await expect.poll(() => rows.count()).toBe(count * 2);
    const overdraft = results.locator('table.eval-rows tr[data-item="overdraft-fee"][data-arm="Grounded"]');
    expect(await overdraft.locator('td[data-metric="faithfulness"]').textContent()).toBe('Pass');
    expect(await overdraft.locator('td[data-metric="correctness"]').textContent()).toBe('4 / 5');
    expect(await overdraft.locator('td[data-metric="hitRate"]').textContent()).toMatch(/^(Found|Missed)$/);
    expect(await overdraft.textContent()).toContain('GROUNDED: the handbook says so [1].');
    expect(await overdraft.textContent()).toMatch(/Sources: .*03-fee-schedule\.pdf/);
    const memory = results.locator('table.eval-rows tr[data-item="overdraft-fee"][data-arm="Baseline (from memory)"]');
    expect(await memory.locator('td[data-metric="relevancy"]').textContent()).toBe('Fail');
    await results.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluation-results.png'), fullPage: true });

    // CSV: the table and the averages with their deltas.
    const csvPath = join(app.dataDir, 'evaluation.csv');
    dialogs.nextSave(csvPath);
    await results.getByRole('button', { name: 'Export CSV…' }).click();
    await expect.poll(() => results.getByRole('status').textContent(), LONG).toBe(`Saved the table as CSV to ${csvPath}.`);
    const lines = readFileSync(csvPath, 'utf8').split('\r\n');
    expect(lines[0]).toBe('question id,kind,question,arm,answer,sources,clarifying question,Faithfulness,Relevancy,Correctness,Guidelines,Hit rate,MRR,notes');
    expect(lines.filter((line) => line.startsWith('overdraft-fee,'))).toHaveLength(2);
    const armsAt = lines.findIndex((line) => line.startsWith('arm,'));
    expect(lines[armsAt]).toContain('Relevancy (delta vs baseline)');
    expect(lines[armsAt + 1]).toMatch(/^Baseline \(from memory\),,,0,,2,,0\.5,,/);
    expect(lines[armsAt + 2]).toMatch(/^Grounded,1,,1,1,4,2,1,0\.5,/);
  });
});

describe('Citations in a grounded answer', () => {
  it('opens the cited passage under the answer and in the Corpora screen', async () => {
    const { app, fake, corpusId } = await launchWithSample();
    const { page } = app;
    const question = 'How much is the overdraft fee?';
    fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: 'The overdraft fee is $35 per item [1], at most three a day [2].' } });
    fake.on({ operation: 'ConverseStream', reply: { text: 'Overdraft fees are usually around $30.' } });

    await page.getByRole('button', { name: 'New comparison' }).first().click();
    await page.getByLabel('Experiment name').fill('Overdraft, grounded');
    await page.getByLabel('Baseline prompt').fill(question);
    await page.getByLabel('Baseline model').fill(MODEL);
    await page.getByLabel('Arm 2 label').fill('Grounded');
    await page.getByRole('button', { name: /^Remove step .* from Grounded$/ }).click();
    await page.getByLabel('Add a step to Grounded').selectOption({ label: 'Retrieve sources' });
    await expect.poll(() => page.getByLabel('Grounded corpus').locator('option').allTextContents(), LONG).toContainEqual(expect.stringContaining('AnyCompany Bank handbook'));
    await page.getByLabel('Grounded corpus').selectOption(corpusId);
    await page.getByLabel('Grounded search mode').selectOption('keyword');
    await page.getByRole('button', { name: /^Run/ }).click();

    const grounded = page.locator('article.arm[aria-label="Grounded output"]');
    await expect.poll(() => grounded.locator('.arm__body').innerText(), LONG).toContain('at most three a day');
    const first = grounded.locator('button.citation[data-cite="1"]');
    await expect.poll(() => first.count(), LONG).toBe(1);
    // The top keyword passage for the question, as the retrieve step found it.
    const top = (await app.services.rag.retrieve({ corpusId, question, mode: 'keyword', k: 5 })).chunks[0]!;
    await first.click();
    const source = grounded.getByRole('region', { name: 'Source 1' });
    await expect.poll(() => source.isVisible()).toBe(true);
    expect(await source.textContent()).toContain(top.documentName);
    await page.screenshot({ path: join(SCREENSHOTS, 'grounded-citation.png') });
    await source.getByRole('button', { name: 'Open in Corpora' }).click();

    await expect.poll(() => page.getByRole('heading', { name: 'Corpora', level: 1 }).isVisible(), LONG).toBe(true);
    const detail = page.getByRole('region', { name: 'Corpus AnyCompany Bank handbook' });
    const cited = detail.getByRole('region', { name: 'Cited passage' });
    await expect.poll(() => cited.isVisible(), LONG).toBe(true);
    expect(await cited.textContent()).toContain(top.documentName);
    expect(await cited.textContent()).toContain(`passage ${top.position + 1}`);
    expect(await cited.locator('.chunk-text').textContent()).toBe(top.text);
    // The question's terms are marked there too.
    expect((await cited.locator('mark').allTextContents()).map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['overdraft', 'fee']));
    await cited.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'corpora-cited-passage.png') });
  });
});

describe('RAG labs', () => {
  it('each opens from Labs with the sample handbook and runs against the fake: sources retrieved offline, the vague question asks first', async () => {
    fake = await startFakeBedrock();
    const endpoint = fake.endpoint;
    app = await launchApp({
      viewport: { width: 1400, height: 1100 },
      async prepare(services) {
        services.settings.update({ endpoint, region: 'us-east-1', maxAttempts: 1 });
        await services.catalog.refresh();
      },
    });
    const { page } = app;
    fake.on({ operation: 'Converse', prompt: /check whether a question can be answered/, reply: { text: 'ASK: Which limit do you mean: ATM withdrawals, AnyPay transfers or card purchases?' } });
    fake.on({ operation: 'ConverseStream', prompt: /<sources>/, reply: { text: 'From the handbook: see source [1].' } });
    fake.on({ operation: 'ConverseStream', reply: { text: 'From memory: it depends on the bank.' } });
    const labs = guidedLabs().filter((lab) => lab.corpus !== undefined);
    expect(labs.map((lab) => lab.id)).toEqual(['rag-grounded-answers', 'rag-out-of-context', 'rag-cross-context', 'rag-clarify-vague']);
    for (const lab of labs) {
      await page.getByRole('button', { name: 'Labs' }).click();
      await page.getByRole('button', { name: `About ${lab.title}` }).click();
      await page.getByRole('dialog', { name: lab.title }).getByRole('button', { name: 'Open in Compare' }).click();
      await expect.poll(() => page.getByLabel('Experiment name').inputValue(), LONG).toBe(lab.title);
      await page.keyboard.press('Control+Enter');
      const labels = lab.config.arms.map((arm) => arm.label);
      const article = (label: string) => page.locator(`article.arm[aria-label="${label} output"]`);
      const clarifying = lab.config.arms.findIndex((arm) => arm.mode === 'derived' && arm.steps.some((step) => step.kind === 'clarify'));
      if (clarifying >= 0) {
        const label = labels[clarifying]!;
        const asks = article(label).locator('form.step-question');
        await expect.poll(() => asks.isVisible(), LONG).toBe(true);
        expect(await asks.textContent()).toContain('Which limit do you mean');
        await asks.getByLabel('Your answer').fill('The daily ATM withdrawal limit.');
        await asks.getByRole('button', { name: 'Answer' }).click();
      }
      await expect.poll(async () => Promise.all(labels.map((label) => article(label).getAttribute('data-status'))), LONG).toEqual(labels.map(() => 'completed'));
      for (const [index, arm] of lab.config.arms.entries()) {
        const body = await article(arm.label).locator('.arm__body').innerText();
        const grounded = arm.mode === 'derived' && arm.steps.some((step) => step.kind === 'retrieve');
        expect(body, `${lab.id}: ${arm.label}`).toContain(grounded ? 'From the handbook' : 'From memory');
        if (grounded) expect(await article(arm.label).locator('button.step-row[data-step-kind="retrieve"]').getAttribute('data-step-status'), lab.id).toBe('done');
        if (index === clarifying) expect(fake.requests.some((r) => r.operation === 'ConverseStream' && JSON.stringify(r.body).includes('daily ATM withdrawal limit'))).toBe(true);
      }
    }
    // One corpus for all four labs, added from the shipped files; nothing was embedded (keyword retrieval).
    expect(app.services.rag.list().map((c) => c.name)).toEqual(['AnyCompany Bank handbook']);
    expect(fake.requests.some((r) => r.operation === 'InvokeModel')).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'rag-lab-clarify.png') });
  });
});
