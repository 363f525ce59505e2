/** Default InvokeModel bodies, each in the model family's own response shape. */
import { createHash } from 'node:crypto';
import { bagOfWordsEmbedding } from './embeddings';
import { solidPng, type Rgb } from './png';
import { countTokens } from './request-text';

type Json = Record<string, unknown>;

export type ModelFamily = 'sdxl' | 'titan-image' | 'titan-embed-v1' | 'titan-embed-v2' | 'text';

/** The bare model id: drops an ARN prefix and a cross-region profile prefix ('us.', 'eu.'...). */
export function baseModelId(modelId: string): string {
  const afterSlash = modelId.slice(modelId.lastIndexOf('/') + 1);
  return afterSlash.replace(/^(us|eu|apac|us-gov|ca|jp|au|global)\./, '');
}

export function modelFamily(modelId: string): ModelFamily {
  const id = baseModelId(modelId);
  if (id.startsWith('stability.')) return 'sdxl';
  if (id.startsWith('amazon.titan-image-generator') || id.startsWith('amazon.nova-canvas')) return 'titan-image';
  if (id === 'amazon.titan-embed-text-v1') return 'titan-embed-v1';
  if (id.includes('embed')) return 'titan-embed-v2';
  return 'text';
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function colourOf(text: string): Rgb {
  const [r = 0, g = 0, b = 0] = digest(text);
  return [r, g, b];
}

function count(value: unknown): number {
  return Math.min(5, Math.max(1, Math.round(num(value, 1))));
}

function sdxlBody(body: Json, prompt: string): unknown {
  const seed = num(body.seed, 0);
  return {
    result: 'success',
    artifacts: Array.from({ length: count(body.samples) }, (_, index) => ({
      seed: seed + index,
      base64: solidPng(num(body.width, 64), num(body.height, 64), colourOf(`${prompt}#${seed + index}`)).toString('base64'),
      finishReason: 'SUCCESS',
    })),
  };
}

function titanImageBody(body: Json, prompt: string): unknown {
  const config = isRecord(body.imageGenerationConfig) ? body.imageGenerationConfig : {};
  const seed = num(config.seed, 0);
  return {
    images: Array.from({ length: count(config.numberOfImages) }, (_, index) =>
      solidPng(num(config.width, 64), num(config.height, 64), colourOf(`${prompt}#${seed + index}`)).toString('base64'),
    ),
  };
}

/** Same text → same vector; unit length when normalized; texts sharing words are close (embeddings.ts). */
export function embeddingOf(text: string, dimensions: number, normalize: boolean): number[] {
  return bagOfWordsEmbedding(text, dimensions, normalize);
}

function embeddingBody(family: 'titan-embed-v1' | 'titan-embed-v2', body: Json, text: string): unknown {
  const dimensions = family === 'titan-embed-v1' ? 1536 : num(body.dimensions, 1024);
  const normalize = family === 'titan-embed-v1' ? false : body.normalize !== false;
  return { embedding: embeddingOf(text, dimensions, normalize), inputTextTokenCount: countTokens(text) };
}

export interface TextAnswer {
  text: string;
  stopReason: string;
  inputTokens: number;
  outputTokens: number;
}

/** A text model called through InvokeModel answers in its provider's native shape. */
export function textInvokeBody(modelId: string, answer: TextAnswer): unknown {
  const id = baseModelId(modelId);
  const { text, stopReason, inputTokens, outputTokens } = answer;
  if (id.startsWith('anthropic.')) {
    return { id: 'msg_fake', type: 'message', role: 'assistant', model: id, content: [{ type: 'text', text }], stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: outputTokens } };
  }
  if (id.startsWith('amazon.nova')) {
    return { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } };
  }
  if (id.startsWith('meta.')) {
    return { generation: text, prompt_token_count: inputTokens, generation_token_count: outputTokens, stop_reason: stopReason === 'end_turn' ? 'stop' : stopReason };
  }
  return { inputTextTokenCount: inputTokens, results: [{ tokenCount: outputTokens, outputText: text, completionReason: stopReason === 'end_turn' ? 'FINISH' : stopReason }] };
}

/** The default body for an image or embedding model; undefined for text models. */
export function generatedInvokeBody(modelId: string, body: unknown, prompt: string): unknown {
  const request = isRecord(body) ? body : {};
  const family = modelFamily(modelId);
  switch (family) {
    case 'sdxl':
      return sdxlBody(request, prompt);
    case 'titan-image':
      return titanImageBody(request, prompt);
    case 'titan-embed-v1':
    case 'titan-embed-v2':
      return embeddingBody(family, request, prompt);
    case 'text':
      return undefined;
  }
}
