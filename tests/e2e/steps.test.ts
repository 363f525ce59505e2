/**
 * A critique-and-revise arm end to end in Chromium (issue 9): built in the editor, run against
 * the fake Bedrock over the wire (the critic finds a problem for one principle of two), its
 * trace opened in the column (timeline, each critique, the revision's diff, the first draft one
 * click away), then the page reloaded and the same run opened from History with the same trace.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { critiqueRequests, revisionRequests, scriptCritic, scriptReviser } from '../support/fake-bedrock/critique';
import { type AppHarness } from '../support/harness';
import { useAppAgainstFake } from '../support/app-against-fake';

const DRAFT = 'A nurse is a caring woman who looks after her patients through the night.';
const REVISED = 'A nurse is a caring professional who looks after patients through the night.';
const BIASED = 'Biased or stereotyping';
const TOXIC = 'Toxic or insulting';
const STEP = `Critique and revise: ${BIASED}, ${TOXIC}`;
const WAIT = { timeout: 30_000 };

const env = useAppAgainstFake();
const launch = env.launch;
let app: AppHarness | undefined;

const column = (page: Page, label: string) => page.locator(`article.arm[aria-label="${label} output"]`);

/** What the trace of the Bias guard arm shows, read from the page once every part is open. */
async function readTrace(scope: Locator) {
  const steps = scope.getByRole('region', { name: 'Bias guard steps' });
  const rows = steps.locator('button.step-row');
  const critique = scope.getByRole('region', { name: `What ${STEP} did` });
  return {
    rows: await rows.evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('data-step-kind'), b.getAttribute('data-step-status'), b.querySelector('.step-row__label')?.textContent ?? ''])),
    biased: (await critique.getByRole('region', { name: `Critique: ${BIASED}` }).innerText()).replace(/\s+/g, ' '),
    toxic: (await critique.getByRole('region', { name: `Critique: ${TOXIC}` }).innerText()).replace(/\s+/g, ' '),
    revisionDiff: {
      removed: await critique.getByRole('region', { name: `Critique: ${BIASED}` }).locator('del').allInnerTexts(),
      added: await critique.getByRole('region', { name: `Critique: ${BIASED}` }).locator('ins').allInnerTexts(),
    },
  };
}

/** Opens the critique step and checks what it shows; returns the trace as read. */
async function openAndCheckTrace(scope: Locator) {
  const steps = scope.getByRole('region', { name: 'Bias guard steps' });
  // the timeline: the technique step, the model call, then critique and revise
  await expect.poll(() => steps.locator('button.step-row').evaluateAll((b) => b.map((x) => [x.getAttribute('data-step-kind'), x.getAttribute('data-step-status')])), WAIT).toEqual([
    ['technique', 'done'],
    ['generate', 'done'],
    ['critique-revise', 'done'],
  ]);
  const row = steps.locator('button.step-row[data-step-kind="critique-revise"]');
  await expect.poll(() => row.innerText(), WAIT).toContain('Revised for 1 of 2 principles');
  await row.click();
  const critique = scope.getByRole('region', { name: `What ${STEP} did` });
  const biased = critique.getByRole('region', { name: `Critique: ${BIASED}` });
  const toxic = critique.getByRole('region', { name: `Critique: ${TOXIC}` });
  await expect.poll(() => biased.innerText(), WAIT).toContain('It assumes every nurse is a woman.');
  await expect.poll(() => biased.locator('.critique__verdict').innerText(), WAIT).toBe('problem found');
  await expect.poll(() => toxic.innerText(), WAIT).toContain('Nothing insulting here.');
  await expect.poll(() => toxic.locator('.critique__verdict').innerText(), WAIT).toBe('no problem');
  // the revision, against the version before it
  await expect.poll(() => biased.locator('del').allInnerTexts(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining('woman')]));
  await expect.poll(() => biased.locator('ins').allInnerTexts(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining('professional')]));
  // only the principle that found a problem was revised
  expect(await toxic.locator('ins, del').count()).toBe(0);
  return readTrace(scope);
}

describe('critique and revise in Chromium', () => {
  it('runs a critique-and-revise arm, opens its trace, and shows the same trace from History after a reload', async () => {
    scriptCritic(env.fake, { principle: BIASED, problem: true, critique: 'It assumes every nurse is a woman.' });
    scriptCritic(env.fake, { principle: TOXIC, problem: false, critique: 'Nothing insulting here.' });
    scriptReviser(env.fake, { principle: BIASED, text: REVISED });
    env.fake.on({ operation: 'ConverseStream', reply: { text: DRAFT }, pace: { firstTokenMs: 30, tokensPerSecond: 200, wordsPerChunk: 2 } });
    app = await launch({ viewport: { width: 1440, height: 1000 } });
    const { page } = app;

    // build: the Bias guard arm gets a critique-and-revise step with two built-in principles
    await page.getByRole('button', { name: 'New comparison' }).first().click();
    await page.getByLabel('Experiment name').fill('Constitutional nurse');
    await page.getByLabel('Baseline prompt').fill('Describe a typical ${role} on a night shift.');
    await page.getByLabel('Add a step to Bias guard').selectOption({ label: 'Critique and revise' });
    await page.getByLabel('Bias guard principle Harmful').uncheck();
    await page.getByLabel(`Bias guard principle ${BIASED}`).check();
    await page.getByLabel(`Bias guard principle ${TOXIC}`).check();
    await expect.poll(() => page.getByRole('list', { name: 'Bias guard principles in order' }).innerText(), WAIT).toMatch(new RegExp(`${BIASED}[\\s\\S]*${TOXIC}`));

    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => column(page, 'Bias guard').getAttribute('data-status'), WAIT).toBe('completed');
    await expect.poll(() => column(page, 'Baseline').getAttribute('data-status'), WAIT).toBe('completed');
    // the final answer is the revision; the baseline kept its draft
    await expect.poll(() => column(page, 'Bias guard').locator('.arm__body').innerText(), WAIT).toContain('caring professional');
    await expect.poll(() => column(page, 'Baseline').locator('.arm__body').innerText(), WAIT).toContain('caring woman');
    // from the fake's log: two critiques, one revision
    expect(critiqueRequests(env.fake).length).toBe(2);
    expect(revisionRequests(env.fake, BIASED).length).toBe(1);
    expect(revisionRequests(env.fake).length).toBe(1);

    const live = await openAndCheckTrace(column(page, 'Bias guard'));

    // the first draft, one click away, and its diff against the final answer
    const versions = column(page, 'Bias guard').locator('.arm-versions');
    await expect.poll(() => versions.innerText(), WAIT).toContain(`1 revision: ${BIASED}`);
    await versions.getByRole('button', { name: 'First draft' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Bias guard first draft' }).innerText(), WAIT).toContain(DRAFT);
    await expect.poll(() => page.getByRole('region', { name: 'Bias guard first draft' }).getByRole('heading').innerText(), WAIT).toBe(`First draft, before ${BIASED}`);
    await column(page, 'Bias guard').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.mouse.wheel(0, -80);
    await page.screenshot({ path: '/tmp/s9-trace.png' });
    await versions.getByRole('button', { name: 'Draft → final diff' }).click();
    const draftDiff = page.getByRole('region', { name: 'Bias guard draft against final' });
    await expect.poll(() => draftDiff.locator('del').allInnerTexts(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining('woman')]));
    await expect.poll(() => draftDiff.locator('ins').allInnerTexts(), WAIT).toEqual(expect.arrayContaining([expect.stringContaining('professional')]));

    // reload, then the same run from History: the same trace
    const runId = (await page.getByRole('status', { name: 'Run status' }).getAttribute('data-run-id'))!;
    await page.reload();
    await page.getByRole('button', { name: /History/ }).first().click();
    const option = page.getByRole('listbox', { name: 'Runs' }).locator(`[data-run-id="${runId}"]`);
    await expect.poll(() => option.isVisible(), WAIT).toBe(true);
    await option.click();
    const runView = page.getByRole('region', { name: 'Run results' });
    await expect.poll(() => runView.locator('article.arm[aria-label="Bias guard output"] .arm__body').innerText(), WAIT).toContain('caring professional');
    const reopened = await openAndCheckTrace(runView.locator('article.arm[aria-label="Bias guard output"]'));
    expect(reopened).toEqual(live);
    await runView.getByRole('button', { name: 'First draft' }).click();
    await expect.poll(() => runView.getByRole('region', { name: 'Bias guard first draft' }).innerText(), WAIT).toContain(DRAFT);
  });
});
