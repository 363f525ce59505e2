import { z } from 'zod';

/** A prompt step from the technique library: system framing and/or a wrapper around the request. */
export const TechniqueStep = z.object({
  kind: z.literal('technique'),
  techniqueId: z.string().min(1).max(80),
});
export type TechniqueStep = z.infer<typeof TechniqueStep>;
