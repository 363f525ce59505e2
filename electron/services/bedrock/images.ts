/**
 * Image generation over InvokeModel: one request type for every supported model, a body builder
 * and a response parser per model family. Content-filtered outcomes are a result, not a crash.
 */
import { AppError } from '../../../shared/errors';
import { loadSdk, type BedrockClients } from './clients';
import { cancelledError, toBedrockError } from './errors';

export const IMAGE_MODELS = [
  'stability.stable-diffusion-xl-v1',
  'amazon.titan-image-generator-v1',
  'amazon.titan-image-generator-v2:0',
  'amazon.nova-canvas-v1:0',
] as const;

export interface ImageRequest {
  modelId: string;
  prompt: string;
  negativePrompt?: string;
  seed?: number;
  cfgScale?: number;
  /** SDXL only. */
  steps?: number;
  /** SDXL only: 'photographic', 'digital-art', 'cinematic', … */
  stylePreset?: string;
  /** Titan and Nova only. */
  quality?: 'standard' | 'premium';
  /** SDXL only: more weighted prompts (a negative weight steers away from the text). */
  extraPrompts?: { text: string; weight: number }[];
  width: number;
  height: number;
  count: number;
}

export interface ImageResult {
  images: { base64: string; seed?: number }[];
  filtered: boolean;
  reason?: string;
}

export type ImageFamily = 'sdxl' | 'titan-image' | 'nova-canvas';

/** Which body format a model id speaks; inference-profile prefixes (us., eu., …) are ignored. */
export function imageFamily(modelId: string): ImageFamily | null {
  const id = modelId.replace(/^.*\//, '').replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, '');
  if (id.startsWith('stability.stable-diffusion-xl')) return 'sdxl';
  if (id.startsWith('amazon.titan-image-generator')) return 'titan-image';
  if (id.startsWith('amazon.nova-canvas')) return 'nova-canvas';
  return null;
}

/** The InvokeModel JSON body for an image request. Pure: unit-tested. */
export function buildImageBody(request: ImageRequest): Record<string, unknown> {
  const family = imageFamily(request.modelId);
  if (family === 'sdxl') {
    const prompts = [{ text: request.prompt, weight: 1 }];
    if (request.negativePrompt) prompts.push({ text: request.negativePrompt, weight: -1 });
    for (const extra of request.extraPrompts ?? []) prompts.push({ text: extra.text, weight: extra.weight });
    return {
      text_prompts: prompts,
      height: request.height,
      width: request.width,
      samples: request.count,
      ...(request.cfgScale !== undefined ? { cfg_scale: request.cfgScale } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.steps !== undefined ? { steps: request.steps } : {}),
      ...(request.stylePreset ? { style_preset: request.stylePreset } : {}),
    };
  }
  if (family === 'titan-image' || family === 'nova-canvas') {
    return {
      taskType: 'TEXT_IMAGE',
      textToImageParams: {
        text: request.prompt,
        ...(request.negativePrompt ? { negativeText: request.negativePrompt } : {}),
      },
      imageGenerationConfig: {
        numberOfImages: request.count,
        quality: request.quality ?? 'standard',
        height: request.height,
        width: request.width,
        ...(request.cfgScale !== undefined ? { cfgScale: request.cfgScale } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      },
    };
  }
  throw new AppError(
    'bad_input',
    `Parallax can't generate images with "${request.modelId}". Choose one of: ${IMAGE_MODELS.join(', ')}.`,
  );
}

const FILTER_TEXT = /content filter|blocked|filtered|responsible ai|\bAUP\b|acceptable use/i;

/** Reads images (or a content-filter outcome) from an InvokeModel answer. Pure: unit-tested. */
export function parseImageResponse(modelId: string, body: unknown): ImageResult {
  const family = imageFamily(modelId);
  const record = (body ?? {}) as Record<string, unknown>;
  if (family === 'sdxl') {
    const artifacts = Array.isArray(record.artifacts) ? (record.artifacts as Record<string, unknown>[]) : [];
    const images: ImageResult['images'] = [];
    let filteredCount = 0;
    for (const artifact of artifacts) {
      if (artifact.finishReason === 'CONTENT_FILTERED') {
        filteredCount += 1;
        continue;
      }
      if (typeof artifact.base64 === 'string') {
        images.push(typeof artifact.seed === 'number' ? { base64: artifact.base64, seed: artifact.seed } : { base64: artifact.base64 });
      }
    }
    if (filteredCount > 0) {
      return {
        images,
        filtered: true,
        reason: `${filteredCount} of ${artifacts.length} image${artifacts.length === 1 ? ' was' : 's were'} blocked by the model's content filter.`,
      };
    }
    if (record.result && record.result !== 'success' && images.length === 0) {
      throw new AppError('bedrock', `The image model did not return an image (result: ${String(record.result)}).`);
    }
    return { images, filtered: false };
  }
  const images = Array.isArray(record.images) ? record.images.filter((image): image is string => typeof image === 'string') : [];
  const error = typeof record.error === 'string' && record.error.length > 0 ? record.error : undefined;
  if (error && FILTER_TEXT.test(error)) return { images: images.map((base64) => ({ base64 })), filtered: true, reason: error };
  if (error && images.length === 0) throw new AppError('bedrock', `The image model reported an error: ${error}`);
  return { images: images.map((base64) => ({ base64 })), filtered: false };
}

/** True when an InvokeModel error is the model's content filter refusing the prompt or image. */
export function isContentFilterError(error: unknown): string | null {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : '';
  if (name !== 'ValidationException' && name !== 'ModelErrorException') return null;
  return /content filter|blocked|responsible ai|AUP|acceptable use|violat/i.test(message) ? message : null;
}

export function createImageService({ clients }: { clients: BedrockClients }) {
  return {
    async generateImages(request: ImageRequest, options: { signal?: AbortSignal } = {}): Promise<ImageResult> {
      const { signal } = options;
      if (signal?.aborted) throw cancelledError();
      const body = buildImageBody(request);
      try {
        const { InvokeModelCommand } = await loadSdk();
        const output = await (await clients.runtime()).send(
          new InvokeModelCommand({
            modelId: request.modelId,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify(body),
          }),
          signal ? { abortSignal: signal } : {},
        );
        const parsed = JSON.parse(new TextDecoder().decode(output.body)) as unknown;
        return parseImageResponse(request.modelId, parsed);
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        if (error instanceof AppError) throw error;
        const filtered = isContentFilterError(error);
        if (filtered) return { images: [], filtered: true, reason: filtered };
        const settings = clients.settings();
        throw toBedrockError(error, {
          operation: 'InvokeModel',
          modelId: request.modelId,
          region: settings.region,
          endpoint: clients.endpointOf('runtime'),
          profile: settings.profile,
          timeoutMs: settings.timeoutMs,
        });
      }
    },
  };
}

export type ImageService = ReturnType<typeof createImageService>;
