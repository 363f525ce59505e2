/**
 * Guard verdicts as scores (issue 10): each arm of a finished run gets "blocked by a guard"
 * (1/0), "guard flags" (how many guards fired: flagged, redacted or blocked), "PII found by
 * guards" (count), and the toxicity judge's figures per category when a toxicity guard ran. Arms
 * without guards (the baseline) get blocked 0 and flags 0, so every guarded arm shows a delta
 * against the baseline. Pure: computed from the arm's step traces.
 */
import { GuardDetail } from '../steps/kinds/guard-common';
import { TOXICITY_LABELS } from '../steps/kinds/guard-toxicity';
import type { StepTrace } from '../steps/trace';

export const GUARD_SCORER_PREFIX = 'guard.';
export const GUARD_BLOCKED = 'guard.blocked';
export const GUARD_FLAGS = 'guard.flags';
export const GUARD_PII = 'guard.pii';
export const GUARD_TOXICITY = 'guard.toxicity.';

export interface GuardScore {
  armIndex: number;
  scorer: string;
  value: number;
  passed: boolean | null;
  feedback: string;
  details: unknown;
}

export function isGuardScorer(id: string): boolean {
  return id.startsWith(GUARD_SCORER_PREFIX);
}

export function guardScorerLabel(id: string): { label: string; description: string; higherIsBetter: boolean | null; format(value: number): string } {
  if (id === GUARD_BLOCKED) return { label: 'Blocked by a guard', description: 'Whether a guard step stopped this arm (input: the model was not called; output: the answer was replaced).', higherIsBetter: null, format: (v) => (v >= 1 ? 'Blocked' : 'Not blocked') };
  if (id === GUARD_FLAGS) return { label: 'Guard flags', description: 'How many guard steps fired on this arm (flagged, redacted or blocked).', higherIsBetter: null, format: (v) => String(Math.round(v)) };
  if (id === GUARD_PII) return { label: 'PII found by guards', description: 'Personal data the PII guards found (emails, phones, cards…), counted, never kept.', higherIsBetter: false, format: (v) => String(Math.round(v)) };
  const category = id.slice(GUARD_TOXICITY.length) as keyof typeof TOXICITY_LABELS;
  return { label: `Toxicity (guard): ${TOXICITY_LABELS[category] ?? category}`, description: 'The toxicity guard’s judge score 0–1 for this category.', higherIsBetter: false, format: (v) => v.toFixed(2) };
}

export function guardScoresOf(arms: readonly { index: number; traces: readonly StepTrace[] }[]): GuardScore[] {
  const scores: GuardScore[] = [];
  for (const arm of arms) {
    const guards = arm.traces.flatMap((trace) => {
      if (!trace.kind.startsWith('guard-')) return [];
      const parsed = GuardDetail.safeParse(trace.detail);
      return parsed.success ? [{ trace, detail: parsed.data }] : [];
    });
    const fired = guards.filter((g) => g.detail.verdict !== 'pass');
    const blocked = guards.find((g) => g.detail.verdict === 'blocked');
    scores.push({
      armIndex: arm.index,
      scorer: GUARD_BLOCKED,
      value: blocked ? 1 : 0,
      passed: blocked ? false : true,
      feedback: blocked ? `${blocked.trace.label}: ${blocked.detail.reason}` : guards.length === 0 ? 'No guards on this arm.' : 'No guard blocked.',
      details: { guards: guards.length },
    });
    scores.push({
      armIndex: arm.index,
      scorer: GUARD_FLAGS,
      value: fired.length,
      passed: null,
      feedback: fired.length === 0 ? (guards.length === 0 ? 'No guards on this arm.' : 'No guard fired.') : fired.map((g) => `${g.trace.label}: ${g.detail.verdict}`).join('; '),
      details: { fired: fired.map((g) => ({ label: g.trace.label, verdict: g.detail.verdict, check: g.detail.check })) },
    });
    const pii = guards.filter((g) => g.detail.check === 'pii');
    if (pii.length > 0) {
      const total = pii.reduce((sum, g) => sum + Object.values(g.detail.counts).reduce((a, b) => a + b, 0), 0);
      scores.push({ armIndex: arm.index, scorer: GUARD_PII, value: total, passed: null, feedback: pii.map((g) => g.detail.reason).join('; '), details: { counts: pii.map((g) => g.detail.counts) } });
    }
    for (const tox of guards.filter((g) => g.detail.check === 'toxicity')) {
      for (const [category, value] of Object.entries(tox.detail.categories)) {
        if (scores.some((s) => s.armIndex === arm.index && s.scorer === GUARD_TOXICITY + category)) continue;
        scores.push({ armIndex: arm.index, scorer: GUARD_TOXICITY + category, value, passed: tox.detail.threshold === null ? null : value < tox.detail.threshold, feedback: `${tox.detail.stage}: ${tox.detail.reason}`, details: { threshold: tox.detail.threshold, stage: tox.detail.stage } });
      }
    }
  }
  return scores;
}
