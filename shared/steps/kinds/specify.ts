import { z } from 'zod';

/**
 * "Specify what is left open": details the user adds so a vague request no longer leaves the
 * model to fill gaps with defaults (who, where, what kind). May use the experiment's `${name}`s.
 */
export const SpecifyStep = z.object({
  kind: z.literal('specify'),
  details: z.string().trim().min(1, 'Say what the request leaves open').max(5_000),
});
export type SpecifyStep = z.infer<typeof SpecifyStep>;
