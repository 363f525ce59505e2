import { z } from 'zod';

/** Inclusive additions to an image prompt (who may be pictured), appended to the baseline's prompt. */
export const ImageInclusiveStep = z.object({
  kind: z.literal('image-inclusive'),
  addition: z.string().trim().min(1, 'Write what the prompt should add').max(2_000),
});
export type ImageInclusiveStep = z.infer<typeof ImageInclusiveStep>;

export const DEFAULT_INCLUSIVE_ADDITION =
  'Show people of diverse genders, ages, ethnicities, body types and abilities, portrayed with dignity and as individuals, not as stereotypes.';
