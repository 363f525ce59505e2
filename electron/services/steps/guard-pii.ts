/** PII, local: per type off / flag / redact / block; placeholders or a mask; the trace keeps counts only. */
import { findPii, PII_LABELS, PII_TYPES, type PiiType } from '../../../shared/moderation/pii';
import { redactMatches } from '../../../shared/moderation/redact';
import type { GuardPiiStep } from '../../../shared/steps/kinds/guard-pii';
import { countsLine, emptyDetail, guardedText, settle } from './guard-core';
import type { StepRunner } from './types';

type TypeAction = 'off' | 'flag' | 'redact' | 'block';

export function piiActionOf(config: GuardPiiStep, type: PiiType): TypeAction {
  return config.types[type] ?? config.action;
}

export const guardPiiStep: StepRunner<GuardPiiStep> = {
  kind: 'guard-pii',
  label: (config) => `PII check (local) on ${config.stage}`,
  async run(config, ctx) {
    const active = PII_TYPES.filter((type) => piiActionOf(config, type) !== 'off');
    const text = guardedText(ctx, config.stage);
    const found = findPii(text, active);
    const counts: Record<string, number> = {};
    for (const match of found) counts[match.type] = (counts[match.type] ?? 0) + 1;
    const label = (type: string) => PII_LABELS[type as PiiType]?.label.toLowerCase() ?? type;
    const blocking = found.filter((m) => piiActionOf(config, m.type) === 'block');
    const redacting = PII_TYPES.filter((type) => piiActionOf(config, type) === 'redact');
    const reason = found.length === 0 ? 'no PII found' : countsLine(counts, label);
    const detail = { ...emptyDetail('pii'), reason, counts };
    // The strongest per-type action decides: any block blocks; else any redact redacts; else flag.
    const effective = blocking.length > 0 ? 'block' : found.some((m) => piiActionOf(config, m.type) === 'redact') ? 'redact' : 'flag';
    const redact = (part: string) => {
      const r = redactMatches(part, findPii(part, redacting), { style: config.style, maskChar: config.maskChar });
      return { text: r.text, spans: r.spans };
    };
    return settle(ctx, { ...config, action: effective }, { fired: found.length > 0, detail: blocking.length > 0 ? { ...detail, reason: `${countsLine(Object.fromEntries(blocking.map((m) => [m.type, blocking.filter((b) => b.type === m.type).length])), label)} (blocked type)` } : detail, redact });
  },
};
