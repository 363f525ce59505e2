/** Pure request builders and response parsers of the Bedrock service layer. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseModelId, catalogRows, costOf, mergeCatalog, SHIPPED_MODELS } from '../../../electron/services/bedrock/catalog';
import { buildEmbeddingBody, mapBounded, parseEmbeddingResponse } from '../../../electron/services/bedrock/embeddings';
import { buildGuardrailContent, parseGuardrailResponse, parseGuardrailTrace } from '../../../electron/services/bedrock/guardrails';
import { buildImageBody, imageFamily, isContentFilterError, parseImageResponse } from '../../../electron/services/bedrock/images';
import { listAwsProfiles, profileNamesFromIni } from '../../../electron/services/bedrock/profiles';
import { readStoredSettings } from '../../../electron/services/bedrock/settings';
import { buildConverseRequest, parseConverseOutput } from '../../../electron/services/bedrock/text';
import { BedrockSettings, DEFAULT_BEDROCK_SETTINGS } from '../../../shared/contract/settings';

describe('Converse request and answer', () => {
  it('builds the minimal request without empty optional fields', () => {
    expect(buildConverseRequest({ modelId: 'm', messages: [{ role: 'user', text: 'hi' }], inference: {} })).toEqual({
      modelId: 'm',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
    });
  });

  it('refuses a call without messages', () => {
    expect(() => buildConverseRequest({ modelId: 'm', messages: [] })).toThrow(/at least one message/);
  });

  it('reads text blocks, the first tool input, usage and the guardrail trace', () => {
    const result = parseConverseOutput(
      {
        output: { message: { role: 'assistant', content: [{ text: 'a' }, { toolUse: { toolUseId: 't', name: 'n', input: { x: 1 } } }, { text: 'b' }] } },
        stopReason: 'tool_use',
        usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
        trace: { guardrail: { modelOutput: ['x'] } },
      },
      { totalMs: 12, attempts: 2 },
    );
    expect(result).toEqual({
      text: 'ab',
      toolInput: { x: 1 },
      stopReason: 'tool_use',
      metrics: { ttftMs: null, totalMs: 12, inputTokens: 3, outputTokens: 4, attempts: 2 },
      guardrailTrace: { modelOutput: ['x'] },
    });
  });
});

describe('image bodies', () => {
  it('knows every family, including inference profile ids', () => {
    expect(imageFamily('stability.stable-diffusion-xl-v1')).toBe('sdxl');
    expect(imageFamily('amazon.titan-image-generator-v1')).toBe('titan-image');
    expect(imageFamily('us.amazon.nova-canvas-v1:0')).toBe('nova-canvas');
    expect(imageFamily('amazon.nova-lite-v1:0')).toBeNull();
    expect(() => buildImageBody({ modelId: 'amazon.nova-lite-v1:0', prompt: 'x', width: 1, height: 1, count: 1 })).toThrow(/can't generate images/);
  });

  it('leaves out what the request does not set', () => {
    expect(buildImageBody({ modelId: 'stability.stable-diffusion-xl-v1', prompt: 'p', width: 1024, height: 1024, count: 1 })).toEqual({
      text_prompts: [{ text: 'p', weight: 1 }],
      height: 1024,
      width: 1024,
      samples: 1,
    });
    expect(buildImageBody({ modelId: 'amazon.nova-canvas-v1:0', prompt: 'p', width: 512, height: 512, count: 2 })).toEqual({
      taskType: 'TEXT_IMAGE',
      textToImageParams: { text: 'p' },
      imageGenerationConfig: { numberOfImages: 2, quality: 'standard', height: 512, width: 512 },
    });
  });

  it('parses images, partial content filtering and Titan error fields', () => {
    expect(
      parseImageResponse('stability.stable-diffusion-xl-v1', {
        result: 'success',
        artifacts: [
          { seed: 1, base64: 'AAA', finishReason: 'SUCCESS' },
          { seed: 2, base64: '', finishReason: 'CONTENT_FILTERED' },
        ],
      }),
    ).toEqual({ images: [{ base64: 'AAA', seed: 1 }], filtered: true, reason: "1 of 2 images were blocked by the model's content filter." });
    expect(parseImageResponse('amazon.titan-image-generator-v1', { images: ['QQ=='] })).toEqual({ images: [{ base64: 'QQ==' }], filtered: false });
    expect(parseImageResponse('amazon.titan-image-generator-v1', { images: [], error: 'The generated image has been blocked by our content filters.' })).toEqual({
      images: [],
      filtered: true,
      reason: 'The generated image has been blocked by our content filters.',
    });
    expect(() => parseImageResponse('amazon.titan-image-generator-v1', { images: [], error: 'Out of capacity' })).toThrow(/Out of capacity/);
  });

  it('recognises content-filter refusals among errors', () => {
    const refusal = Object.assign(new Error('This request has been blocked by our content filters.'), { name: 'ValidationException' });
    const other = Object.assign(new Error('height must be a multiple of 64'), { name: 'ValidationException' });
    expect(isContentFilterError(refusal)).toBe(refusal.message);
    expect(isContentFilterError(other)).toBeNull();
  });
});

describe('embeddings', () => {
  it('builds v2 and v1 bodies', () => {
    expect(buildEmbeddingBody('t', { modelId: 'amazon.titan-embed-text-v2:0' })).toEqual({ inputText: 't', dimensions: 1024, normalize: true });
    expect(buildEmbeddingBody('t', { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 256, normalize: false })).toEqual({ inputText: 't', dimensions: 256, normalize: false });
    expect(buildEmbeddingBody('t', { modelId: 'amazon.titan-embed-text-v1' })).toEqual({ inputText: 't' });
    expect(() => buildEmbeddingBody('t', { modelId: 'cohere.embed-english-v3' })).toThrow(/can't embed/);
  });

  it('parses a vector and refuses an answer without one', () => {
    expect(parseEmbeddingResponse({ embedding: [0.1, 0.2], inputTextTokenCount: 2 })).toEqual({ vector: [0.1, 0.2], inputTokens: 2 });
    expect(() => parseEmbeddingResponse({ message: 'x' })).toThrow(/without a vector/);
  });

  it('mapBounded keeps order and never exceeds the limit', async () => {
    let active = 0;
    let peak = 0;
    const results = await mapBounded([50, 10, 30, 5, 20, 1, 15], 3, async (ms, i) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, ms));
      active -= 1;
      return `${i}:${ms}`;
    });
    expect(results).toEqual(['0:50', '1:10', '2:30', '3:5', '4:20', '5:1', '6:15']);
    expect(peak).toBe(3);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });

  it('mapBounded stops starting new work after a failure', async () => {
    const started: number[] = [];
    await expect(
      mapBounded([1, 2, 3, 4, 5, 6], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});

describe('guardrails', () => {
  it('qualifies content only when grounding inputs are given', () => {
    expect(buildGuardrailContent({ text: 't' })).toEqual([{ text: { text: 't' } }]);
    expect(buildGuardrailContent({ text: 't', groundingSource: 's' })).toEqual([
      { text: { text: 's', qualifiers: ['grounding_source'] } },
      { text: { text: 't', qualifiers: ['guard_content'] } },
    ]);
  });

  it('parses an empty answer', () => {
    expect(parseGuardrailResponse({ action: 'NONE', outputs: [], assessments: [{}] })).toEqual({
      action: 'NONE',
      intervened: false,
      outputs: [],
      assessments: [{ contentFilters: [], deniedTopics: [], words: [], piiEntities: [], regexes: [], grounding: [] }],
      reason: null,
    });
  });

  it('parses the guardrail trace of a Converse answer', () => {
    const trace = parseGuardrailTrace({
      modelOutput: ['raw'],
      inputAssessment: { g1: { contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', confidence: 'HIGH', action: 'BLOCKED' }] } } },
      outputAssessments: { g1: [{ sensitiveInformationPolicy: { piiEntities: [{ type: 'NAME', match: 'Ann', action: 'ANONYMIZED' }] } }] },
    });
    expect(trace.modelOutput).toEqual(['raw']);
    expect(trace.input[0]!.contentFilters[0]).toMatchObject({ type: 'PROMPT_ATTACK', confidence: 'HIGH', action: 'BLOCKED' });
    expect(trace.output[0]!.piiEntities).toEqual([{ type: 'NAME', match: 'Ann', action: 'ANONYMIZED', detected: null }]);
  });
});

describe('catalog', () => {
  it('derives base model ids from profile ids and ARNs', () => {
    expect(baseModelId('us.anthropic.claude-3-haiku-20240307-v1:0')).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0')).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(baseModelId('amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
  });

  it('ships a sane fallback list', () => {
    const ids = SHIPPED_MODELS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['stability.stable-diffusion-xl-v1', 'amazon.titan-image-generator-v1', 'amazon.titan-image-generator-v2:0', 'amazon.nova-canvas-v1:0', 'amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1']) {
      expect(ids).toContain(id);
    }
    for (const model of SHIPPED_MODELS) {
      if (model.modality === 'text') expect(model.inputPer1k! > 0 && model.outputPer1k! > 0).toBe(true);
      if (model.modality === 'image') expect(model.perImage! > 0).toBe(true);
    }
  });

  it('turns list answers into rows and merges them with the shipped list and user prices', () => {
    const rows = catalogRows(
      [{ modelId: 'x.new-model-v1', modelName: 'New', providerName: 'X', outputModalities: ['TEXT'], modelArn: 'a', inferenceTypesSupported: ['ON_DEMAND'], responseStreamingSupported: true }],
      [{ inferenceProfileId: 'eu.x.new-model-v1', inferenceProfileName: 'EU New', models: [{ modelArn: 'arn:aws:bedrock:eu-west-1::foundation-model/x.new-model-v1' }] } as never],
      [{ id: 'g1', name: 'Strict', version: '2', status: 'READY', arn: 'arn:g1' } as never],
    );
    const catalog = mergeCatalog({
      region: 'eu-west-1',
      fetchedAt: 5,
      cached: rows.map((row) => ({ ...row, region: 'eu-west-1', fetchedAt: 5 })),
      prices: new Map([['x.new-model-v1', { inputPer1k: 1, outputPer1k: 2, perImage: null }]]),
    });
    expect(catalog.models.find((m) => m.id === 'x.new-model-v1')).toMatchObject({ kind: 'model', source: 'account', listed: true, streaming: true, price: { source: 'user' } });
    expect(catalog.models.find((m) => m.id === 'eu.x.new-model-v1')).toMatchObject({ kind: 'profile', baseModelId: 'x.new-model-v1', provider: 'X', price: { inputPer1k: 1 } });
    expect(catalog.models.find((m) => m.id === 'amazon.nova-lite-v1:0')).toMatchObject({ source: 'shipped', listed: false });
    expect(catalog.guardrails).toEqual([{ id: 'g1', name: 'Strict', version: '2', status: 'READY', arn: 'arn:g1' }]);
  });

  it('computes cost only when price and tokens are known', () => {
    const price = { inputPer1k: 0.003, outputPer1k: 0.015, perImage: null, source: 'estimate' as const };
    expect(costOf(price, 1000, 1000)).toBeCloseTo(0.018, 10);
    expect(costOf(price, null, 10)).toBeNull();
    expect(costOf(null, 10, 10)).toBeNull();
    expect(costOf({ ...price, outputPer1k: null }, 1000, 0)).toBeCloseTo(0.003, 10);
  });
});

describe('AWS profiles', () => {
  it('reads profile names, never values, from config and credentials styles', () => {
    const config = '[default]\nregion=us-east-1\n[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_start_url = x\n[services s3]\n[ profile  spaced ] # note\n';
    expect(profileNamesFromIni(config, 'config')).toEqual(['default', 'dev', 'spaced']);
    expect(profileNamesFromIni('[default]\naws_access_key_id = AKIA\n[ci]\n', 'credentials')).toEqual(['default', 'ci']);
  });

  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-profiles-'));
    try {
      writeFileSync(join(dir, 'cfg'), '[profile b]\n[default]\n');
      writeFileSync(join(dir, 'creds'), '[a]\naws_secret_access_key = SECRET\n[b]\n');
      const result = listAwsProfiles({ env: { AWS_CONFIG_FILE: join(dir, 'cfg'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'creds'), AWS_PROFILE: 'b' }, home: dir });
      expect(result).toEqual({ profiles: ['default', 'a', 'b'], sources: [join(dir, 'cfg'), join(dir, 'creds')], envProfile: 'b' });
      expect(JSON.stringify(result)).not.toContain('SECRET');
      expect(listAwsProfiles({ env: {}, home: join(dir, 'nowhere') })).toEqual({ profiles: [], sources: [], envProfile: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings', () => {
  it('validates the settings schema', () => {
    expect(BedrockSettings.safeParse({ endpoint: 'http://127.0.0.1:4010' }).success).toBe(true);
    expect(BedrockSettings.safeParse({ endpoint: 'https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/' }).success).toBe(true);
    expect(BedrockSettings.safeParse({ endpoint: 'ftp://x' }).success).toBe(false);
    expect(BedrockSettings.safeParse({ endpoint: 'localhost:4000' }).success).toBe(false);
    expect(BedrockSettings.safeParse({ region: 'US East' }).success).toBe(false);
    expect(BedrockSettings.safeParse({ maxAttempts: 0 }).success).toBe(false);
    expect(BedrockSettings.safeParse({ maxAttempts: 11 }).success).toBe(false);
    expect(BedrockSettings.parse({ endpoint: '', profile: '  ' })).toMatchObject({ endpoint: null, profile: null });
    expect(DEFAULT_BEDROCK_SETTINGS).toMatchObject({ region: 'us-east-1', retryMode: 'standard', maxAttempts: 3, timeoutMs: 60_000 });
  });

  it('reads stored settings leniently, keeping every field that still validates', () => {
    expect(readStoredSettings(undefined)).toEqual(DEFAULT_BEDROCK_SETTINGS);
    const read = readStoredSettings({ region: 'eu-west-1', maxAttempts: 99, models: { generation: 'x.y', judge: '' } });
    expect(read.region).toBe('eu-west-1');
    expect(read.maxAttempts).toBe(3);
    expect(read.models).toEqual({ ...DEFAULT_BEDROCK_SETTINGS.models, generation: 'x.y' });
  });
});
