/**
 * An image comparison in Chromium: the built renderer, the real handler table, runner and step
 * engine, the real AWS SDK against the fake Bedrock. Baseline, negative prompt and the
 * ask-don't-assume chat, 4 samples each on the same seeds; the gallery, and History after a reload.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, type AppHarness } from '../support/harness';
import { useAppAgainstFake } from '../support/app-against-fake';

const env = useAppAgainstFake();
const launch = env.launch;
let app: AppHarness | undefined;

describe('image comparisons', () => {
  it('compares baseline, negative prompt and the chat that asks who is in the picture; the gallery shows 4 samples each, also from History after a reload', async () => {
    env.fake.on({ operation: 'Converse', prompt: /older woman/, reply: { text: 'Thank you. <imageprompt>A portrait of a doctor: an older woman of South Asian descent in a rural clinic</imageprompt>' } });
    env.fake.on({ operation: 'Converse', reply: { text: 'Who should the doctor be? A woman, a man, any age — or should I leave it open?' } });
    app = await launch();
    const { page } = app;
    await page.getByRole('button', { name: 'New comparison' }).first().click();
    await page.getByLabel('Experiment name').fill('A doctor');
    await page.getByRole('group', { name: 'Kind of comparison' }).getByRole('button', { name: 'Images' }).click();
    await page.getByLabel('Baseline prompt').fill('A portrait of a doctor');
    await page.getByLabel('Baseline size').selectOption('512x512');

    // Arm 2: the default negative phrases. Text-only steps were dropped when the kind changed.
    const arm2 = page.getByRole('article', { name: /^Arm 2\b/ });
    await arm2.getByRole('combobox', { name: /^Add a step to/ }).selectOption({ label: 'Negative prompt' });
    await arm2.getByRole('textbox', { name: /Arm 2 label/ }).fill('Negative prompt');
    // Arm 3: ask, don't assume.
    await page.getByRole('button', { name: /Add arm/ }).click();
    const arm3 = page.getByRole('article', { name: /^Arm 3\b/ });
    await arm3.getByRole('textbox', { name: /Arm 3 label/ }).fill('Ask first');
    await arm3.getByRole('combobox', { name: /^Add a step to/ }).selectOption({ label: 'Ask, don’t assume' });
    for (const [i, arm] of [arm2, arm3].entries()) {
      await expect.poll(() => arm.getByRole('combobox', { name: /^Add a step to/ }).locator('option', { hasText: 'Critique and revise' }).count(), { message: `arm ${i + 2} offers no text steps` }).toBe(0);
    }

    await page.getByRole('button', { name: /^Run/ }).click();
    // The chat asks in its column; the answer goes back to the prompt writer.
    const question = page.getByRole('form', { name: / asks$/ });
    await expect.poll(() => question.getByText(/Who should the doctor be\?/).isVisible(), { timeout: 60_000 }).toBe(true);
    await question.getByLabel('Your answer').fill('An older woman, South Asian, in a rural clinic.');
    await question.getByRole('button', { name: 'Answer' }).click();

    const gallery = page.getByRole('region', { name: 'Image comparison' });
    for (const label of ['Baseline', 'Negative prompt', 'Ask first']) {
      await expect.poll(() => gallery.getByRole('list', { name: `Images from ${label}` }).locator('img').evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length), { timeout: 60_000, message: label }).toBe(4);
    }
    const bodies = env.fake.requests.filter((r) => r.operation === 'InvokeModel').map((r) => r.body);
    expect(bodies).toHaveLength(12);
    expect(bodies.filter((b) => b.textToImageParams.text.includes('older woman of South Asian descent'))).toHaveLength(4);
    expect(bodies.filter((b) => (b.textToImageParams.negativeText ?? '').includes('caricature'))).toHaveLength(4);
    const seeds = (text: RegExp) => bodies.filter((b) => text.test(b.textToImageParams.text)).map((b) => b.imageGenerationConfig.seed).sort();
    expect(seeds(/older woman/)).toEqual([42, 43, 44, 45]);

    // The lightbox shows the exact request of one image.
    await gallery.getByRole('button', { name: /^Open Ask first, image 1/ }).click();
    const lightbox = page.getByRole('dialog', { name: /^Ask first · image 1/ });
    await lightbox.getByText('The exact request this image came from').click();
    await expect.poll(() => lightbox.locator('pre').textContent()).toContain('older woman of South Asian descent');
    await page.screenshot({ path: join(SCREENSHOTS, 'images-lightbox.png') });
    await lightbox.getByRole('button', { name: 'Close' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'images-gallery.png'), fullPage: true });

    // History after a reload: the same gallery, from files on disk.
    await page.reload();
    await page.getByRole('button', { name: /History/ }).first().click();
    await page.getByRole('listbox', { name: 'Runs' }).getByRole('option', { name: /A doctor/ }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Image comparison' }).locator('img').evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length), { timeout: 60_000 }).toBe(12);
  });
});
