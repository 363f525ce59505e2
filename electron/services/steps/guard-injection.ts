/** Prompt injection / persona hijack, local heuristics: a score, the evidence, a threshold. Redact removes the matched phrases. */
import { detectInjection, INJECTION_RULE_LABELS } from '../../../shared/moderation/injection';
import type { GuardInjectionStep } from '../../../shared/steps/kinds/guard-injection';
import { emptyDetail, guardedText, settle } from './guard-core';
import type { StepRunner } from './types';

export const guardInjectionStep: StepRunner<GuardInjectionStep> = {
  kind: 'guard-injection',
  label: (config) => `Injection check (local) on ${config.stage}`,
  async run(config, ctx) {
    const text = guardedText(ctx, config.stage);
    const result = detectInjection(text);
    const fired = result.score >= config.threshold;
    const top = result.rules.slice(0, 3).map((rule) => INJECTION_RULE_LABELS[rule].split(' (')[0]);
    const reason = result.rules.length === 0 ? 'no injection patterns' : `score ${result.score.toFixed(2)} (threshold ${config.threshold}): ${top.join('; ')}`;
    return settle(ctx, config, {
      fired,
      detail: {
        ...emptyDetail('injection'),
        reason,
        score: result.score,
        threshold: config.threshold,
        evidence: result.evidence.map((e) => ({ rule: e.rule, label: INJECTION_RULE_LABELS[e.rule], match: e.match, hidden: e.hidden })),
      },
      redact: (part) => {
        const found = detectInjection(part).evidence.filter((e) => e.end > e.start && e.rule !== 'obfuscation');
        const spans: { type: string; start: number; end: number }[] = [];
        let out = '';
        let cursor = 0;
        for (const e of found) {
          if (e.start < cursor) continue;
          out += part.slice(cursor, e.start);
          spans.push({ type: e.rule, start: out.length, end: out.length + '[REMOVED]'.length });
          out += '[REMOVED]';
          cursor = e.end;
        }
        return { text: out + part.slice(cursor), spans };
      },
    });
  },
};
