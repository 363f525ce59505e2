import { z } from 'zod';
import { guardBase } from './guard-common';

/** Prompt injection / persona hijack, local heuristics (shared/moderation/injection.ts). Redact removes the matched phrases. */
export const GuardInjectionStep = z.object({
  kind: z.literal('guard-injection'),
  ...guardBase,
  threshold: z.number().min(0).max(1).default(0.5),
});
export type GuardInjectionStep = z.infer<typeof GuardInjectionStep>;
