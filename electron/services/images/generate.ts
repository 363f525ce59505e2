/**
 * Generates an image arm's samples: `samples` calls with seeds seed, seed+1, … (so every arm of a
 * comparison is drawn on the same seeds), at most `concurrency` at once. Each sample is kept as
 * it arrives — an image file, or the reason there is none (the model's content filter, throttling,
 * access) — so a cancelled or failed arm keeps what it had.
 */
import { AppError, type AppErrorShape } from '../../../shared/errors';
import type { ImageSettings } from '../../../shared/images';
import { imageModelFamily } from '../../../shared/images';
import { buildImageBody, type ImageRequest, type ImageResult } from '../bedrock/images';
import type { ImageRepo } from '../store/images';

export interface ImageArmRequest {
  modelId: string;
  prompt: string;
  settings: ImageSettings;
}

export interface ImageGenerator {
  generateImages(request: ImageRequest, options?: { signal?: AbortSignal }): Promise<ImageResult>;
}

export interface SampleOutcome {
  position: number;
  seed: number;
  status: 'ok' | 'filtered' | 'failed';
  reason: string | null;
}

/** The model's request for one sample (one image, its own seed); per-model fields only. */
export function sampleRequest(request: ImageArmRequest, sampleIndex: number): ImageRequest {
  const { settings } = request;
  const family = imageModelFamily(request.modelId);
  return {
    modelId: request.modelId,
    prompt: request.prompt,
    ...(settings.negativeText.trim() ? { negativePrompt: settings.negativeText.trim() } : {}),
    seed: settings.seed + sampleIndex,
    cfgScale: settings.cfgScale,
    width: settings.width,
    height: settings.height,
    count: 1,
    ...(family === 'sdxl'
      ? { steps: settings.steps, ...(settings.stylePreset ? { stylePreset: settings.stylePreset } : {}), extraPrompts: settings.extraPrompts }
      : { quality: settings.quality }),
  };
}

function reasonOf(error: unknown): string {
  const shape = (error as { toShape?: () => AppErrorShape } | null)?.toShape?.();
  if (shape?.message) return shape.message;
  return error instanceof Error ? error.message : String(error);
}

export async function generateSamples(
  request: ImageArmRequest,
  deps: { model: ImageGenerator; images: ImageRepo; runId: string; armIndex: number; signal: AbortSignal; concurrency?: number; onSample?(outcome: SampleOutcome): void },
): Promise<SampleOutcome[]> {
  if (!imageModelFamily(request.modelId)) {
    throw new AppError('bad_input', `"${request.modelId}" is not an image model. Pick Stable Diffusion XL, Titan Image Generator or Nova Canvas for an image comparison.`);
  }
  const total = request.settings.samples;
  const outcomes: SampleOutcome[] = [];
  let next = 0;
  const keep = (outcome: SampleOutcome) => {
    outcomes.push(outcome);
    deps.onSample?.(outcome);
  };
  async function worker(): Promise<void> {
    while (next < total && !deps.signal.aborted) {
      const index = next++;
      const sample = sampleRequest(request, index);
      const meta = { position: index, seed: sample.seed ?? null, request: buildImageBody(sample) };
      try {
        const result = await deps.model.generateImages(sample, { signal: deps.signal });
        if (deps.signal.aborted) return;
        const image = result.images[0];
        if (image) {
          const stored = deps.images.add(deps.runId, deps.armIndex, Buffer.from(image.base64, 'base64'), meta);
          // the gallery opens on thumbnails: make this one now, while the other samples generate
          await deps.images.prepareThumbnail(stored.hash).catch(() => undefined);
          keep({ position: index, seed: sample.seed!, status: 'ok', reason: null });
        } else {
          const reason = result.reason ?? 'The model returned no image for this seed.';
          deps.images.addMissing(deps.runId, deps.armIndex, result.filtered ? 'filtered' : 'failed', reason, meta);
          keep({ position: index, seed: sample.seed!, status: result.filtered ? 'filtered' : 'failed', reason });
        }
      } catch (error) {
        if (deps.signal.aborted) return;
        const reason = reasonOf(error);
        deps.images.addMissing(deps.runId, deps.armIndex, 'failed', reason, meta);
        keep({ position: index, seed: sample.seed!, status: 'failed', reason });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(total, deps.concurrency ?? 2) }, worker));
  return outcomes.sort((a, b) => a.position - b.position);
}
