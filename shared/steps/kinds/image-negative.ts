import { z } from 'zod';

/** Phrases the image model is steered away from (negative text; a negative weight for SDXL). */
export const ImageNegativeStep = z.object({
  kind: z.literal('image-negative'),
  phrases: z.array(z.string().trim().min(1).max(200)).min(1, 'Add at least one phrase').max(60),
});
export type ImageNegativeStep = z.infer<typeof ImageNegativeStep>;

/** The editable default: stereotyped and low-quality renderings a workshop warns about. */
export const DEFAULT_NEGATIVE_PHRASES = [
  'stereotype',
  'caricature',
  'exaggerated ethnic features',
  'sexualized',
  'tokenism',
  'only one gender',
  'only young people',
  'uniform skin tone',
  'deformed',
  'distorted face',
  'extra limbs',
  'bad hands',
  'blurry',
  'low quality',
  'watermark',
  'text',
] as const;
