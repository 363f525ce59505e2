import { z } from 'zod';
import { guardBase } from './guard-common';

/** Prompt safety by a classifier model: safe / unsafe, category, confidence, reason (Converse tool use); fires when unsafe at ≥ threshold. */
export const GuardClassifierStep = z.object({
  kind: z.literal('guard-classifier'),
  ...guardBase,
  action: z.enum(['flag', 'block']).default('block'),
  /** Default: the arm's own model. */
  modelId: z.string().min(1).max(300).optional(),
  threshold: z.number().min(0).max(1).default(0.5),
});
export type GuardClassifierStep = z.infer<typeof GuardClassifierStep>;
