import { describe, expect, it } from 'vitest';
import { guardScoresOf } from '../../../shared/scores/guards';
import { scorerInfo } from '../../../shared/scores/scorers';
import type { StepTrace } from '../../../shared/steps/trace';

const trace = (index: number, kind: string, detail: unknown): StepTrace => ({ index, kind, label: kind, status: 'done', startedAt: 1, totalMs: 1, inputTokens: null, outputTokens: null, costUsd: null, summary: null, detail, error: null });
const detail = (check: string, verdict: string, extra: object = {}) => ({ check, stage: 'input', action: 'block', verdict, reason: 'why', ...extra });

describe('guard verdicts as scores', () => {
  it('blocked / flags for every arm (the baseline gets 0 so deltas show), PII counts and toxicity per category', () => {
    const scores = guardScoresOf([
      { index: 0, traces: [trace(0, 'generate', null)] },
      {
        index: 1,
        traces: [
          trace(0, 'guard-pii', detail('pii', 'redacted', { counts: { email: 1, phone: 2 } })),
          trace(1, 'guard-toxicity', detail('toxicity', 'blocked', { categories: { insult: 0.8, overall: 0.7 }, threshold: 0.5 })),
          trace(2, 'guard-injection', { not: 'a guard detail' }),
        ],
      },
    ]);
    const of = (arm: number, scorer: string) => scores.find((s) => s.armIndex === arm && s.scorer === scorer)?.value;
    expect(of(0, 'guard.blocked')).toBe(0);
    expect(of(0, 'guard.flags')).toBe(0);
    expect(of(1, 'guard.blocked')).toBe(1);
    expect(of(1, 'guard.flags')).toBe(2);
    expect(of(1, 'guard.pii')).toBe(3);
    expect(of(1, 'guard.toxicity.insult')).toBe(0.8);
    expect(of(0, 'guard.toxicity.insult')).toBeUndefined();
    expect(scorerInfo('guard.blocked').format(1)).toBe('Blocked');
    expect(scorerInfo('guard.toxicity.insult').label).toBe('Toxicity (guard): Insult');
  });
});
