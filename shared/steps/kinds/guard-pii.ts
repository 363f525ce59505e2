import { z } from 'zod';
import { guardBase, PiiActions } from './guard-common';

/**
 * PII, local (shared/moderation/pii.ts): per type off / flag / redact / block (types not listed
 * follow `action`); redaction by typed placeholder ("[EMAIL]") or a mask character.
 */
export const GuardPiiStep = z.object({
  kind: z.literal('guard-pii'),
  ...guardBase,
  action: z.enum(['flag', 'redact', 'block']).default('redact'),
  types: PiiActions.default({}),
  style: z.enum(['placeholder', 'mask']).default('placeholder'),
  maskChar: z.string().min(1).max(2).default('*'),
});
export type GuardPiiStep = z.infer<typeof GuardPiiStep>;
