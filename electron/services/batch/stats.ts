/**
 * A batch's statistics (issue 13) from its cells' scores: per arm and score, mean / median /
 * bootstrap interval over rows (repeats folded to their mean) or the pass rate with its Wilson
 * interval; per mitigated arm the paired effect against the baseline (arm 0) with its sentence.
 * With one row (repeats of a single comparison) the pairs are the repeats: the same run holds
 * both arms of one repeat.
 */
import type { ArmEffect, ArmScoreStats, ArmStats, BatchDetail, BatchStats } from '../../../shared/batch';
import { isJudgeId, JUDGES } from '../../../shared/scores/judges';
import { scorerInfo } from '../../../shared/scores/scorers';
import { effectSentence, mean, numericEffect, passEffect, summarize, summarizePasses } from '../../../shared/stats';

function isPassFail(scorer: string): boolean {
  return isJudgeId(scorer) && JUDGES[scorer].scale === 'pass-fail';
}

export function computeStats(detail: BatchDetail): BatchStats {
  const byRepeat = detail.rowCount === 1 && detail.repeats > 1;
  const unitOf = (row: number, repeat: number) => (byRepeat ? repeat : row);
  const noun = byRepeat ? 'repeats' : 'rows';
  const scorers = new Set<string>();
  // arm → scorer → unit → values
  const values = new Map<number, Map<string, Map<number, number[]>>>();
  // arm → scorer → "row:repeat" → passed
  const passes = new Map<number, Map<string, Map<string, boolean>>>();
  for (const cell of detail.cells) {
    if (cell.status !== 'completed') continue;
    for (const score of cell.scores) {
      if (score.value === null) continue;
      scorers.add(score.scorer);
      const arm = values.get(cell.arm) ?? new Map<string, Map<number, number[]>>();
      values.set(cell.arm, arm);
      const perUnit = arm.get(score.scorer) ?? new Map<number, number[]>();
      arm.set(score.scorer, perUnit);
      const unit = unitOf(cell.row, cell.repeat);
      perUnit.set(unit, [...(perUnit.get(unit) ?? []), score.value]);
      if (isPassFail(score.scorer)) {
        const p = passes.get(cell.arm) ?? new Map<string, Map<string, boolean>>();
        passes.set(cell.arm, p);
        const m = p.get(score.scorer) ?? new Map<string, boolean>();
        p.set(score.scorer, m);
        m.set(`${cell.row}:${cell.repeat}`, score.passed ?? score.value >= 1);
      }
    }
  }
  const folded = (arm: number, scorer: string): Map<number, number> => {
    const out = new Map<number, number>();
    for (const [unit, list] of values.get(arm)?.get(scorer) ?? []) out.set(unit, mean(list)!);
    return out;
  };
  const arms: ArmStats[] = detail.armLabels.map((label, arm) => {
    const cells = detail.cells.filter((c) => c.arm === arm);
    const scores: ArmScoreStats[] = [];
    const effects: ArmEffect[] = [];
    for (const scorer of [...scorers].sort()) {
      if (scorer === 'pairwise' && arm === 0) continue;
      const info = scorerInfo(scorer);
      const perUnit = folded(arm, scorer);
      const unitValues = [...perUnit.values()];
      if (isPassFail(scorer)) {
        const outcomes = [...(passes.get(arm)?.get(scorer)?.values() ?? [])];
        scores.push({ scorer, label: info.label, higherIsBetter: info.higherIsBetter, kind: 'pass', numeric: null, pass: summarizePasses(outcomes), values: unitValues });
      } else {
        scores.push({ scorer, label: info.label, higherIsBetter: info.higherIsBetter, kind: 'numeric', numeric: summarize(unitValues), pass: null, values: unitValues });
      }
      if (arm === 0 || scorer === 'pairwise') continue;
      if (isPassFail(scorer)) {
        const base = passes.get(0)?.get(scorer) ?? new Map<string, boolean>();
        const mine = passes.get(arm)?.get(scorer) ?? new Map<string, boolean>();
        const pairs: [boolean, boolean][] = [];
        for (const [k, passed] of mine) {
          const b = base.get(k);
          if (b !== undefined) pairs.push([b, passed]);
        }
        const effect = passEffect(pairs);
        effects.push({
          scorer,
          label: info.label,
          kind: 'pass',
          n: effect.n,
          meanDifference: effect.mitigatedRate !== null && effect.baselineRate !== null ? effect.mitigatedRate - effect.baselineRate : null,
          interval: null,
          pValue: effect.test.pValue,
          test: effect.test.method === 'exact' ? 'mcnemar-exact' : 'mcnemar-chi-square',
          sentence: effectSentence(effect, { armLabel: label, scoreLabel: info.label, higherIsBetter: info.higherIsBetter, noun }),
          pairs: [],
        });
      } else {
        const base = folded(0, scorer);
        const pairs: [number, number][] = [];
        for (const [unit, v] of perUnit) {
          const b = base.get(unit);
          if (b !== undefined) pairs.push([b, v]);
        }
        const effect = numericEffect(pairs.map(([baseline, mitigated]) => ({ baseline, mitigated })), info.higherIsBetter);
        effects.push({
          scorer,
          label: info.label,
          kind: 'numeric',
          n: effect.n,
          meanDifference: effect.meanDifference,
          interval: effect.interval,
          pValue: effect.sign.pValue,
          test: 'sign',
          sentence: effectSentence(effect, { armLabel: label, scoreLabel: info.label, higherIsBetter: info.higherIsBetter, noun }),
          pairs,
        });
      }
    }
    return {
      arm,
      label,
      completed: cells.filter((c) => c.status === 'completed').length,
      failed: cells.filter((c) => c.status === 'failed').length,
      costUsd: cells.reduce((sum, c) => sum + (c.costUsd ?? 0), 0),
      scores,
      effects,
    };
  });
  return { batchId: detail.id, arms };
}
