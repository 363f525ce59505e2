/**
 * What every guard step shares (issue 10): where it runs (input: before the model call, on the
 * user's turns; output: after it, on the answer), what it does when its check fires (flag: note it
 * and go on; redact: remove what it found and go on; block: stop the arm with the reason, and on
 * output replace the answer by the block message), and the moderation pipeline it came from.
 * The trace detail every guard saves is GuardDetail: counts and verdicts, never removed values.
 */
import { z } from 'zod';
import { PII_TYPES } from '../../moderation/pii';

export const GUARD_STAGES = ['input', 'output'] as const;
export type GuardStage = (typeof GUARD_STAGES)[number];
export const GUARD_ACTIONS = ['flag', 'redact', 'block'] as const;
export type GuardAction = (typeof GUARD_ACTIONS)[number];

export const GuardPipelineRef = z.object({ id: z.string().min(1).max(80), name: z.string().min(1).max(80) });
export type GuardPipelineRef = z.infer<typeof GuardPipelineRef>;

export const guardBase = {
  stage: z.enum(GUARD_STAGES).default('input'),
  action: z.enum(GUARD_ACTIONS).default('flag'),
  /** Set when the step came from a saved moderation pipeline (shown as one group). */
  pipeline: GuardPipelineRef.optional(),
};

export const DEFAULT_OUTPUT_BLOCK_MESSAGE = 'This answer was withheld by a moderation check.';

export const GUARD_VERDICTS = ['pass', 'flagged', 'redacted', 'blocked'] as const;
export type GuardVerdict = (typeof GUARD_VERDICTS)[number];

const Evidence = z.object({ rule: z.string(), label: z.string(), match: z.string(), hidden: z.boolean().default(false) });
const Span = z.object({ type: z.string(), start: z.number().int(), end: z.number().int() });

/** The trace detail of a guard step, read back with this schema. */
export const GuardDetail = z.object({
  check: z.enum(['injection', 'pii', 'classifier', 'toxicity', 'guardrail']),
  stage: z.enum(GUARD_STAGES),
  action: z.enum(GUARD_ACTIONS),
  verdict: z.enum(GUARD_VERDICTS),
  /** One line: why it fired ("email ×1, card ×1"; "unsafe: prompt_injection (0.93)"), or why it passed. */
  reason: z.string(),
  score: z.number().nullable().default(null),
  threshold: z.number().nullable().default(null),
  evidence: z.array(Evidence).default([]),
  /** Counts per type (PII, guardrail PII entities). */
  counts: z.record(z.string(), z.number()).default({}),
  /** The text after redaction and where each replacement is (in that text), for highlighting. */
  redacted: z.object({ text: z.string(), spans: z.array(Span) }).nullable().default(null),
  /** Per-category scores (toxicity), 0–1. */
  categories: z.record(z.string(), z.number()).default({}),
  /** Classifier verdict. */
  classifier: z.object({ verdict: z.enum(['safe', 'unsafe']), category: z.string(), confidence: z.number(), reason: z.string(), modelId: z.string() }).nullable().default(null),
  /** Bedrock Guardrail: the raw action, each assessment, the guardrail's own message. */
  guardrail: z
    .object({
      id: z.string(),
      version: z.string(),
      name: z.string().nullable(),
      action: z.string(),
      blockedMessage: z.string().nullable(),
      assessments: z.array(z.unknown()),
      grounded: z.boolean(),
    })
    .nullable()
    .default(null),
  /** Output guards that block: the message shown instead of the answer. */
  blockMessage: z.string().nullable().default(null),
  /** Output guards that block: the answer they withheld (shown behind "Show what was blocked"). */
  blockedText: z.string().nullable().default(null),
});
export type GuardDetail = z.infer<typeof GuardDetail>;

export const PiiActions = z.partialRecord(z.enum(PII_TYPES), z.enum(['off', 'flag', 'redact', 'block']));
