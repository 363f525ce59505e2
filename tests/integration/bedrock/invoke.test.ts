/** Images, embeddings and guardrails through the real SDK against the fake server. */
import { describe, expect, it } from 'vitest';
import { embeddingOf, pngSize } from '../../support/fake-bedrock';
import { useStackAgainstFake } from './setup';

const ctx = useStackAgainstFake({ region: 'us-east-1', maxAttempts: 2 });

describe('images', () => {
  it('sends SDXL its weighted prompts (negative weight for the negative prompt) and reads seeds', async () => {
    const result = await ctx.stack.bedrock.generateImages({
      modelId: 'stability.stable-diffusion-xl-v1',
      prompt: 'a lighthouse at dawn',
      negativePrompt: 'people',
      extraPrompts: [{ text: 'oil painting', weight: 0.5 }],
      seed: 42,
      cfgScale: 7,
      steps: 30,
      stylePreset: 'photographic',
      width: 64,
      height: 48,
      count: 2,
    });
    expect(ctx.fake.requests.at(-1)!.body).toEqual({
      text_prompts: [
        { text: 'a lighthouse at dawn', weight: 1 },
        { text: 'people', weight: -1 },
        { text: 'oil painting', weight: 0.5 },
      ],
      cfg_scale: 7,
      seed: 42,
      steps: 30,
      style_preset: 'photographic',
      height: 48,
      width: 64,
      samples: 2,
    });
    expect(result.filtered).toBe(false);
    expect(result.images.map((image) => image.seed)).toEqual([42, 43]);
    expect(pngSize(Buffer.from(result.images[0]!.base64, 'base64'))).toEqual({ width: 64, height: 48 });
  });

  for (const modelId of ['amazon.titan-image-generator-v1', 'amazon.titan-image-generator-v2:0', 'amazon.nova-canvas-v1:0']) {
    it(`sends ${modelId} a TEXT_IMAGE task and reads its images`, async () => {
      const result = await ctx.stack.bedrock.generateImages({
        modelId,
        prompt: 'a red bicycle',
        negativePrompt: 'blurry',
        seed: 7,
        cfgScale: 8,
        width: 32,
        height: 32,
        count: 3,
      });
      expect(ctx.fake.requests.at(-1)!.modelId).toBe(modelId);
      expect(ctx.fake.requests.at(-1)!.body).toEqual({
        taskType: 'TEXT_IMAGE',
        textToImageParams: { text: 'a red bicycle', negativeText: 'blurry' },
        imageGenerationConfig: { numberOfImages: 3, quality: 'standard', cfgScale: 8, height: 32, width: 32, seed: 7 },
      });
      expect(result).toMatchObject({ filtered: false });
      expect(result.images).toHaveLength(3);
      expect(pngSize(Buffer.from(result.images[2]!.base64, 'base64'))).toEqual({ width: 32, height: 32 });
    });
  }

  it('reports SDXL content filtering as a filtered outcome', async () => {
    ctx.fake.on({
      operation: 'InvokeModel',
      model: 'stability',
      body: { result: 'success', artifacts: [{ seed: 1, base64: '', finishReason: 'CONTENT_FILTERED' }] },
    });
    const result = await ctx.stack.bedrock.generateImages({ modelId: 'stability.stable-diffusion-xl-v1', prompt: 'x', width: 64, height: 64, count: 1 });
    expect(result).toEqual({ images: [], filtered: true, reason: "1 of 1 image was blocked by the model's content filter." });
  });

  it('reports a Titan / Nova content-filter refusal as a filtered outcome, not a crash', async () => {
    const message = 'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.';
    ctx.fake.on({ operation: 'InvokeModel', model: 'nova-canvas', error: { status: 400, type: 'ValidationException', message } });
    const result = await ctx.stack.bedrock.generateImages({ modelId: 'amazon.nova-canvas-v1:0', prompt: 'x', width: 64, height: 64, count: 1 });
    expect(result).toEqual({ images: [], filtered: true, reason: message });
  });

  it('still maps other image errors', async () => {
    ctx.fake.on({ operation: 'InvokeModel', error: { status: 400, type: 'ValidationException', message: 'height must be a multiple of 64' } });
    await expect(
      ctx.stack.bedrock.generateImages({ modelId: 'amazon.titan-image-generator-v1', prompt: 'x', width: 10, height: 10, count: 1 }),
    ).rejects.toMatchObject({ code: 'bedrock', kind: 'validation', message: expect.stringContaining('height must be a multiple of 64') });
  });
});

describe('embeddings', () => {
  it('sends Titan v2 its dimensions and normalize flag and reads the vector', async () => {
    const result = await ctx.stack.bedrock.embed('hello world', { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256, normalize: true });
    expect(ctx.fake.requests.at(-1)!.body).toEqual({ inputText: 'hello world', dimensions: 256, normalize: true });
    expect(result.vector).toEqual(embeddingOf('hello world', 256, true));
    expect(result.inputTokens).toBeGreaterThan(0);
  });

  it('sends Titan v1 the bare input text', async () => {
    const result = await ctx.stack.bedrock.embed('hello', { modelId: 'amazon.titan-embed-text-v1' });
    expect(ctx.fake.requests.at(-1)!.body).toEqual({ inputText: 'hello' });
    expect(result.vector).toHaveLength(1536);
  });

  it('embedMany keeps the input order with bounded concurrency', async () => {
    const texts = Array.from({ length: 13 }, (_, i) => `text number ${i} — ünïcode ✓`);
    const results = await ctx.stack.bedrock.embedMany(texts, { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 512, concurrency: 3 });
    expect(results).toHaveLength(13);
    results.forEach((result, i) => expect(result.vector).toEqual(embeddingOf(texts[i]!, 512, true)));
    expect(ctx.fake.requests).toHaveLength(13);
  });

  it('embedMany fails with the mapped error of the first failure', async () => {
    ctx.fake.on({ operation: 'InvokeModel', prompt: 'bad one', error: { status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." } });
    await expect(
      ctx.stack.bedrock.embedMany(['a', 'bad one', 'c'], { modelId: 'amazon.titan-embed-text-v2:0', concurrency: 2 }),
    ).rejects.toMatchObject({ code: 'bedrock', kind: 'access' });
  });
});

describe('guardrails', () => {
  it('applies a guardrail to output text with grounding source and query, and types every assessment', async () => {
    ctx.fake.on({
      operation: 'ApplyGuardrail',
      body: {
        action: 'GUARDRAIL_INTERVENED',
        actionReason: 'Guardrail blocked.',
        outputs: [{ text: 'Sorry, I cannot share that.' }],
        assessments: [
          {
            topicPolicy: { topics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true }] },
            contentPolicy: { filters: [{ type: 'INSULTS', confidence: 'MEDIUM', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }] },
            wordPolicy: {
              customWords: [{ match: 'frobnicate', action: 'BLOCKED' }],
              managedWordLists: [{ match: 'heck', type: 'PROFANITY', action: 'BLOCKED' }],
            },
            sensitiveInformationPolicy: {
              piiEntities: [{ match: 'jane@example.com', type: 'EMAIL', action: 'ANONYMIZED' }],
              regexes: [{ name: 'employee id', match: 'E-12345', regex: 'E-\\d{5}', action: 'BLOCKED' }],
            },
            contextualGroundingPolicy: {
              filters: [
                { type: 'GROUNDING', threshold: 0.75, score: 0.31, action: 'BLOCKED', detected: true },
                { type: 'RELEVANCE', threshold: 0.5, score: 0.92, action: 'NONE', detected: false },
              ],
            },
          },
        ],
      },
    });
    const result = await ctx.stack.bedrock.applyGuardrail({
      guardrailId: 'gr-abc',
      version: '3',
      source: 'OUTPUT',
      text: 'The answer.',
      groundingSource: 'The source document.',
      query: 'What is the answer?',
    });
    const request = ctx.fake.requests.at(-1)!;
    expect(request).toMatchObject({ operation: 'ApplyGuardrail', guardrailId: 'gr-abc', guardrailVersion: '3' });
    expect(request.body).toEqual({
      source: 'OUTPUT',
      content: [
        { text: { text: 'The source document.', qualifiers: ['grounding_source'] } },
        { text: { text: 'What is the answer?', qualifiers: ['query'] } },
        { text: { text: 'The answer.', qualifiers: ['guard_content'] } },
      ],
    });
    expect(result.action).toBe('GUARDRAIL_INTERVENED');
    expect(result.intervened).toBe(true);
    expect(result.reason).toBe('Guardrail blocked.');
    expect(result.outputs).toEqual(['Sorry, I cannot share that.']);
    expect(result.assessments).toEqual([
      {
        contentFilters: [{ type: 'INSULTS', confidence: 'MEDIUM', strength: 'HIGH', action: 'BLOCKED', detected: true }],
        deniedTopics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true }],
        words: [
          { match: 'frobnicate', list: 'custom', type: null, action: 'BLOCKED', detected: null },
          { match: 'heck', list: 'managed', type: 'PROFANITY', action: 'BLOCKED', detected: null },
        ],
        piiEntities: [{ type: 'EMAIL', match: 'jane@example.com', action: 'ANONYMIZED', detected: null }],
        regexes: [{ name: 'employee id', match: 'E-12345', regex: 'E-\\d{5}', action: 'BLOCKED', detected: null }],
        grounding: [
          { type: 'GROUNDING', threshold: 0.75, score: 0.31, action: 'BLOCKED', detected: true },
          { type: 'RELEVANCE', threshold: 0.5, score: 0.92, action: 'NONE', detected: false },
        ],
      },
    ]);
  });

  it('passes clean input text untouched', async () => {
    const result = await ctx.stack.bedrock.applyGuardrail({ guardrailId: 'gr-abc', version: 'DRAFT', source: 'INPUT', text: 'Hello there' });
    expect(ctx.fake.requests.at(-1)!.body).toEqual({ source: 'INPUT', content: [{ text: { text: 'Hello there' } }] });
    expect(result).toMatchObject({ action: 'NONE', intervened: false, outputs: [] });
  });

  it('maps a missing guardrail', async () => {
    ctx.fake.on({ operation: 'ApplyGuardrail', error: { status: 404, type: 'ResourceNotFoundException', message: 'The guardrail gr-x was not found.' } });
    await expect(ctx.stack.bedrock.applyGuardrail({ guardrailId: 'gr-x', version: '1', source: 'INPUT', text: 'x' })).rejects.toMatchObject({ code: 'bedrock' });
  });
});
