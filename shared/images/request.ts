/**
 * An image comparison's request: the baseline's prompt (its `${name}` template) plus these
 * settings. Every arm makes `samples` calls with seeds seed, seed+1, … so arms are compared on
 * the same seeds and a distribution shows rather than one picture.
 */
import { z } from 'zod';

export const IMAGE_MODEL_IDS = [
  'stability.stable-diffusion-xl-v1',
  'amazon.titan-image-generator-v1',
  'amazon.titan-image-generator-v2:0',
  'amazon.nova-canvas-v1:0',
] as const;

export const SDXL_STYLE_PRESETS = [
  '3d-model', 'analog-film', 'anime', 'cinematic', 'comic-book', 'digital-art', 'enhance', 'fantasy-art', 'isometric',
  'line-art', 'low-poly', 'modeling-compound', 'neon-punk', 'origami', 'photographic', 'pixel-art', 'tile-texture',
] as const;

export const WeightedPrompt = z.object({
  text: z.string().trim().min(1).max(2_000),
  /** Negative weights steer away from the text (SDXL). */
  weight: z.number().min(-10).max(10),
});
export type WeightedPrompt = z.infer<typeof WeightedPrompt>;

export const ImageSettings = z.object({
  width: z.number().int().min(256).max(2048).default(1024),
  height: z.number().int().min(256).max(2048).default(1024),
  seed: z.number().int().min(0).max(2_147_483_640).default(42),
  cfgScale: z.number().min(1).max(35).default(8),
  /** SDXL only. */
  steps: z.number().int().min(10).max(150).default(30),
  /** Titan and Nova only. */
  quality: z.enum(['standard', 'premium']).default('standard'),
  samples: z.number().int().min(1).max(8).default(4),
  /** SDXL only. */
  stylePreset: z.enum(SDXL_STYLE_PRESETS).optional(),
  negativeText: z.string().max(1_000).default(''),
  /** SDXL only: more weighted prompts beside the main one. */
  extraPrompts: z.array(WeightedPrompt).max(8).default([]),
});
export type ImageSettings = z.infer<typeof ImageSettings>;

export type ImageModelFamily = 'sdxl' | 'titan-image' | 'nova-canvas';

/** Which parameter form a model id takes; inference-profile prefixes (us., eu., …) are ignored. */
export function imageModelFamily(modelId: string): ImageModelFamily | null {
  const id = modelId.replace(/^.*\//, '').replace(/^(us|eu|apac|us-gov|global|jp|au|ca)\./, '');
  if (id.startsWith('stability.stable-diffusion-xl')) return 'sdxl';
  if (id.startsWith('amazon.titan-image-generator')) return 'titan-image';
  if (id.startsWith('amazon.nova-canvas')) return 'nova-canvas';
  return null;
}

/** Joins negative phrases into one negative prompt, each once, in order. */
export function joinNegatives(...lists: readonly (readonly string[] | string)[]): string {
  const parts = lists
    .flatMap((list) => (typeof list === 'string' ? list.split(',') : [...list]))
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const seen = new Set<string>();
  return parts.filter((part) => !seen.has(part.toLowerCase()) && seen.add(part.toLowerCase())).join(', ');
}
