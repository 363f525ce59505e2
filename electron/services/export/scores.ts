/**
 * Scores for exports, read straight from the scores tables (migration 0004) when they exist:
 * each scorer's value (or pass/fail), pairwise scores named with the arm they compare against,
 * and the person's ratings. Names are the friendly ones, which become the CSV's column names:
 * "Relevancy (pass/fail)", "Bias and stereotypes (1–5, lower is better)", "Preferred over
 * baseline (−1 to +1, higher is better)", "Your rating: stars (1–5)". Pass/fail scores read
 * "pass" / "fail", numbers are rounded to 3 decimal places, a score that failed reads "error".
 */
import { isPassFail, roundScore, scoreName } from '../../../shared/labels';
import type { Db } from '../store';
import type { ScoreLookup } from './csv';

export const RATING_THUMB = 'Your rating: thumbs (up/down)';
export const RATING_STARS = 'Your rating: stars (1–5)';

export function sqlScoreLookup(db: Db): ScoreLookup {
  const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) !== undefined;
  const scores = has('scores')
    ? db.prepare<[string], { run_id: string; arm_index: number; other_arm_index: number; scorer: string; value: number | null; passed: number | null; error: string | null }>(
        `SELECT run_id, arm_index, other_arm_index, scorer, value, passed, error FROM scores WHERE run_id IN (SELECT value FROM json_each(?))`,
      )
    : null;
  const ratings = has('arm_ratings')
    ? db.prepare<[string], { run_id: string; arm_index: number; thumb: number | null; stars: number | null }>(
        `SELECT run_id, arm_index, thumb, stars FROM arm_ratings WHERE run_id IN (SELECT value FROM json_each(?))`,
      )
    : null;
  return (runIds) => {
    const out = new Map<string, Map<number, Record<string, number | string | null>>>();
    const cell = (runId: string, armIndex: number) => {
      let arms = out.get(runId);
      if (!arms) out.set(runId, (arms = new Map()));
      let values = arms.get(armIndex);
      if (!values) arms.set(armIndex, (values = {}));
      return values;
    };
    const ids = JSON.stringify(runIds);
    for (const row of scores?.all(ids) ?? []) {
      const name = scoreName(row.scorer, row.other_arm_index >= 0 ? row.other_arm_index : null);
      const verdict = row.passed === null ? null : row.passed === 1 ? 'pass' : 'fail';
      cell(row.run_id, row.arm_index)[name] =
        row.error !== null
          ? 'error'
          : isPassFail(row.scorer) && row.value !== null
            ? row.value >= 1 ? 'pass' : 'fail'
            : row.value !== null ? roundScore(row.value) : verdict;
    }
    for (const row of ratings?.all(ids) ?? []) {
      const values = cell(row.run_id, row.arm_index);
      if (row.thumb !== null) values[RATING_THUMB] = row.thumb > 0 ? 'up' : 'down';
      if (row.stars !== null) values[RATING_STARS] = row.stars;
    }
    return out;
  };
}
