import { z } from 'zod';
import { guardBase } from './guard-common';

/**
 * A Bedrock Guardrail (ApplyGuardrail, source INPUT or OUTPUT). Block: when it intervenes the arm
 * stops with the guardrail's own blocked message; redact: its masked text (ANONYMIZED PII) is used.
 * On output, with sources (retrieval) and `grounding`, the contextual grounding check runs too.
 */
/** A lab's stand-in for "one of the account's guardrails": the editor replaces it with the first one listed. */
export const ACCOUNT_GUARDRAIL = '@account-guardrail';

export const GuardGuardrailStep = z.object({
  kind: z.literal('guard-guardrail'),
  ...guardBase,
  action: z.enum(['flag', 'redact', 'block']).default('block'),
  guardrailId: z.string().trim().min(1, 'Pick a guardrail').max(2_048),
  guardrailVersion: z.string().trim().min(1).max(20).default('DRAFT'),
  /** Its name from the account's list, for labels. */
  guardrailName: z.string().max(200).optional(),
  grounding: z.boolean().default(true),
});
export type GuardGuardrailStep = z.infer<typeof GuardGuardrailStep>;
