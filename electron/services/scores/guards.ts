/**
 * Saves each guard's verdicts as scores when a run finishes (issue 10): blocked yes/no and flags
 * for every arm of a run that has guards (the baseline too, so deltas show), PII counts, and
 * toxicity per category. Stored like any metric, so the score cards, History and every export
 * carry them.
 */
import type { StepTrace } from '../../../shared/steps/trace';
import { guardScoresOf } from '../../../shared/scores/guards';
import type { ScoreRepo } from './repo';

export function saveGuardScores(repo: Pick<ScoreRepo, 'saveScore'>, run: { id: string; arms: readonly { index: number; modelId: string; steps?: readonly StepTrace[] }[] }): number {
  const arms = run.arms.map((arm) => ({ index: arm.index, traces: arm.steps ?? [] }));
  if (!arms.some((arm) => arm.traces.some((trace) => trace.kind.startsWith('guard-')))) return 0;
  const scores = guardScoresOf(arms);
  for (const score of scores) {
    repo.saveScore({
      runId: run.id,
      armIndex: score.armIndex,
      otherArmIndex: null,
      kind: 'metric',
      scorer: score.scorer,
      value: score.value,
      details: score.details,
      passed: score.passed,
      feedback: score.feedback,
      prompt: null,
      modelId: run.arms.find((a) => a.index === score.armIndex)?.modelId ?? null,
      error: null,
      outputHash: null,
    });
  }
  return scores.length;
}
