/** An image arm's samples through the real SDK against the fake, kept as files with their reasons. */
import { describe, expect, it } from 'vitest';
import { ImageSettings } from '../../../shared/images';
import { generateSamples } from '../../../electron/services/images/generate';
import { useServicesAgainstFake } from '../../support/services-against-fake';
import { minimalConfig } from '../../support/minimal-config';

const ctx = useServicesAgainstFake('parallax-images-');

function newRun(): string {
  return ctx.services.runs.create({ experimentId: null, title: 'Doctors', config: minimalConfig('Doctors', 'amazon.titan-image-generator-v2:0'), arms: [] });
}

describe('image samples', () => {
  it('draws every sample on its own seed, the same seeds for every arm, one image per call', async () => {
    const runId = newRun();
    const settings = ImageSettings.parse({ width: 256, height: 256, seed: 100, samples: 4, negativeText: 'stereotype, caricature' });
    for (const [armIndex, modelId] of ['amazon.titan-image-generator-v2:0', 'stability.stable-diffusion-xl-v1'].entries()) {
      const outcomes = await generateSamples(
        { modelId, prompt: 'a doctor at work', settings },
        { model: ctx.services.bedrock, images: ctx.services.images, runId, armIndex, signal: new AbortController().signal },
      );
      expect(outcomes.map((o) => [o.position, o.seed, o.status])).toEqual([0, 1, 2, 3].map((i) => [i, 100 + i, 'ok']));
    }
    const titan = ctx.fake.requests.filter((r) => r.modelId === 'amazon.titan-image-generator-v2:0').map((r) => r.body);
    expect(titan.map((body) => body.imageGenerationConfig.seed).sort()).toEqual([100, 101, 102, 103]);
    expect(titan[0]).toMatchObject({ textToImageParams: { text: 'a doctor at work', negativeText: 'stereotype, caricature' }, imageGenerationConfig: { numberOfImages: 1, width: 256, height: 256, quality: 'standard' } });
    const sdxl = ctx.fake.requests.filter((r) => r.modelId === 'stability.stable-diffusion-xl-v1').map((r) => r.body);
    expect(sdxl[0].text_prompts).toEqual([{ text: 'a doctor at work', weight: 1 }, { text: 'stereotype, caricature', weight: -1 }]);
    expect(sdxl.map((body) => body.seed).sort()).toEqual([100, 101, 102, 103]);
    const refs = ctx.services.images.refsForRun(runId);
    expect(refs.map((r) => [r.armIndex, r.position, r.status, r.width])).toEqual([
      [0, 0, 'ok', 256], [0, 1, 'ok', 256], [0, 2, 'ok', 256], [0, 3, 'ok', 256],
      [1, 0, 'ok', 256], [1, 1, 'ok', 256], [1, 2, 'ok', 256], [1, 3, 'ok', 256],
    ]);
    // the exact request each image came from is kept with it
    expect(refs[2]!.request).toMatchObject({ imageGenerationConfig: { seed: 102 } });
  });

  it('keeps a filtered or throttled sample as a reason where the picture would be', async () => {
    const runId = newRun();
    ctx.fake.on({ operation: 'InvokeModel', times: 1, error: { status: 400, type: 'ValidationException', message: 'This request has been blocked by our content filters.' } });
    ctx.fake.on({ operation: 'InvokeModel', times: 1, error: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } });
    const outcomes = await generateSamples(
      { modelId: 'amazon.nova-canvas-v1:0', prompt: 'a nurse', settings: ImageSettings.parse({ width: 256, height: 256, samples: 3 }) },
      { model: ctx.services.bedrock, images: ctx.services.images, runId, armIndex: 0, signal: new AbortController().signal, concurrency: 1 },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['filtered', 'failed', 'ok']);
    expect(outcomes[0]!.reason).toMatch(/content filters/);
    expect(outcomes[1]!.reason).toMatch(/throttl|too many|slow down|rate/i);
    expect(ctx.services.images.refsForRun(runId).map((r) => r.status)).toEqual(['filtered', 'failed', 'ok']);
  });

  it('refuses a text model with a message that says what to pick', async () => {
    await expect(
      generateSamples(
        { modelId: 'amazon.nova-lite-v1:0', prompt: 'x', settings: ImageSettings.parse({}) },
        { model: ctx.services.bedrock, images: ctx.services.images, runId: newRun(), armIndex: 0, signal: new AbortController().signal },
      ),
    ).rejects.toThrow(/not an image model.*Stable Diffusion XL, Titan Image Generator or Nova Canvas/);
  });
});
