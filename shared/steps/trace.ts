/**
 * The trace of an arm: one record per step (plus the model call itself, kind 'generate'), saved
 * as it happens and shown above the answer. `detail` is kind-specific (each kind's runner and
 * trace view agree on its shape through a zod schema next to the kind).
 */
import { z } from 'zod';

export const STEP_STATUSES = ['pending', 'running', 'waiting', 'done', 'skipped', 'stopped', 'failed', 'cancelled', 'interrupted'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const StepTrace = z.object({
  /** Position in the arm's pipeline: request steps, then 'generate', then answer steps. */
  index: z.number().int().min(0),
  kind: z.string().min(1),
  label: z.string(),
  status: z.enum(STEP_STATUSES),
  startedAt: z.number().nullable(),
  totalMs: z.number().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  costUsd: z.number().nullable(),
  /** One line for the timeline ("revised for 1 of 2 principles", "blocked: PII (email)"). */
  summary: z.string().nullable(),
  detail: z.unknown(),
  error: z.object({ code: z.string(), message: z.string(), details: z.string().optional() }).nullable(),
});
export type StepTrace = z.infer<typeof StepTrace>;

/** A version of the answer: the first draft, then one per revision. */
export const AnswerVersion = z.object({
  /** Which step produced it ('generate' for the draft). */
  stepIndex: z.number().int().min(0),
  /** Why it changed, e.g. the principle's name. */
  reason: z.string(),
  text: z.string(),
});
export type AnswerVersion = z.infer<typeof AnswerVersion>;
