/** SQLite access for scores, human ratings, score settings and judge prompt overrides (migration 0004). */
import { JUDGES, isJudgeId, type JudgeId, type JudgePrompt } from '../../../shared/scores/judges';
import { DEFAULT_SCORE_SETTINGS, ScoreSettings, type ArmRating, type RunRatings, type Score, type ScoreKind, type Thumb } from '../../../shared/scores/types';
import type { Db } from '../store/db';

interface ScoreRow {
  run_id: string;
  arm_index: number;
  other_arm_index: number;
  scorer: string;
  kind: ScoreKind;
  value: number | null;
  passed: number | null;
  details: string;
  feedback: string;
  prompt: string | null;
  model_id: string | null;
  error: string | null;
  output_hash: string | null;
  created_at: number;
}

export type NewScore = Omit<Score, 'createdAt' | 'stale'> & { outputHash: string | null };
export type StoredScore = Omit<Score, 'stale'> & { outputHash: string | null };

function scoreFromRow(row: ScoreRow): StoredScore {
  return {
    runId: row.run_id,
    armIndex: row.arm_index,
    otherArmIndex: row.other_arm_index === -1 ? null : row.other_arm_index,
    kind: row.kind,
    scorer: row.scorer,
    value: row.value,
    details: JSON.parse(row.details) as unknown,
    passed: row.passed === null ? null : row.passed === 1,
    feedback: row.feedback,
    prompt: row.prompt,
    modelId: row.model_id,
    error: row.error,
    outputHash: row.output_hash,
    createdAt: row.created_at,
  };
}

const THUMB_TO_DB: Record<Thumb, number> = { up: 1, down: -1 };

export interface ArmRatingPatch {
  /** undefined = leave as is; null = clear. */
  thumb?: Thumb | null;
  stars?: number | null;
}

export interface RunRatingPatch {
  preferredArm?: number | 'tie' | null;
}

/** The ratings this repo keeps; the run's note lives in runs.note (the history's), see the score service. */
export type StoredRatings = Omit<RunRatings, 'note'>;

export function createScoreRepo(db: Db, now: () => number = Date.now) {
  const upsert = db.prepare(
    `INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, value, passed, details, feedback, prompt, model_id, error, output_hash, created_at)
     VALUES (@runId, @armIndex, @otherArmIndex, @scorer, @kind, @value, @passed, @details, @feedback, @prompt, @modelId, @error, @outputHash, @createdAt)
     ON CONFLICT (run_id, arm_index, scorer, other_arm_index) DO UPDATE SET
       kind = excluded.kind, value = excluded.value, passed = excluded.passed, details = excluded.details,
       feedback = excluded.feedback, prompt = excluded.prompt, model_id = excluded.model_id, error = excluded.error, output_hash = excluded.output_hash,
       created_at = excluded.created_at`,
  );
  const selectScores = db.prepare<[string], ScoreRow>(
    'SELECT * FROM scores WHERE run_id = ? ORDER BY arm_index, kind, scorer, other_arm_index',
  );
  const selectArmRatings = db.prepare<[string], { arm_index: number; thumb: number | null; stars: number | null; updated_at: number }>(
    'SELECT arm_index, thumb, stars, updated_at FROM arm_ratings WHERE run_id = ? ORDER BY arm_index',
  );
  const selectArmRating = db.prepare<[string, number], { thumb: number | null; stars: number | null }>(
    'SELECT thumb, stars FROM arm_ratings WHERE run_id = ? AND arm_index = ?',
  );
  const upsertArmRating = db.prepare(
    `INSERT INTO arm_ratings (run_id, arm_index, thumb, stars, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, arm_index) DO UPDATE SET thumb = excluded.thumb, stars = excluded.stars, updated_at = excluded.updated_at`,
  );
  const deleteArmRating = db.prepare('DELETE FROM arm_ratings WHERE run_id = ? AND arm_index = ?');
  const selectRunRating = db.prepare<[string], { preferred_arm: number | null; updated_at: number }>(
    'SELECT preferred_arm, updated_at FROM run_ratings WHERE run_id = ?',
  );
  const upsertRunRating = db.prepare(
    `INSERT INTO run_ratings (run_id, preferred_arm, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET preferred_arm = excluded.preferred_arm, updated_at = excluded.updated_at`,
  );
  const selectSettings = db.prepare<[string], { settings: string }>('SELECT settings FROM score_settings WHERE experiment_id = ?');
  const upsertSettings = db.prepare(
    `INSERT INTO score_settings (experiment_id, settings, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (experiment_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  );
  const selectPrompts = db.prepare<[], { judge_id: string; system: string; template: string }>('SELECT judge_id, system, template FROM judge_prompts');
  const upsertPrompt = db.prepare(
    `INSERT INTO judge_prompts (judge_id, system, template, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (judge_id) DO UPDATE SET system = excluded.system, template = excluded.template, updated_at = excluded.updated_at`,
  );
  const deletePrompt = db.prepare('DELETE FROM judge_prompts WHERE judge_id = ?');

  return {
    saveScore(score: NewScore): void {
      upsert.run({
        runId: score.runId,
        armIndex: score.armIndex,
        otherArmIndex: score.otherArmIndex ?? -1,
        scorer: score.scorer,
        kind: score.kind,
        value: score.error === null ? score.value : null,
        passed: score.error !== null || score.passed === null ? null : score.passed ? 1 : 0,
        details: JSON.stringify(score.details ?? null),
        feedback: score.feedback,
        prompt: score.prompt,
        modelId: score.modelId,
        error: score.error,
        outputHash: score.outputHash,
        createdAt: now(),
      });
    },

    listScores(runId: string): StoredScore[] {
      return selectScores.all(runId).map(scoreFromRow);
    },

    ratings(runId: string): StoredRatings {
      const rows = selectArmRatings.all(runId);
      const arms: ArmRating[] = rows.map((row) => ({
        armIndex: row.arm_index,
        thumb: row.thumb === null ? null : row.thumb > 0 ? 'up' : 'down',
        stars: row.stars,
      }));
      const run = selectRunRating.get(runId);
      const updatedAt = Math.max(0, run?.updated_at ?? 0, ...rows.map((row) => row.updated_at));
      return {
        arms,
        preferredArm: run?.preferred_arm == null ? null : run.preferred_arm === -1 ? 'tie' : run.preferred_arm,
        updatedAt: updatedAt === 0 ? null : updatedAt,
      };
    },

    rateArm: db.transaction((runId: string, armIndex: number, patch: ArmRatingPatch): void => {
      const current = selectArmRating.get(runId, armIndex);
      const thumb = patch.thumb === undefined ? (current?.thumb ?? null) : patch.thumb === null ? null : THUMB_TO_DB[patch.thumb];
      const stars = patch.stars === undefined ? (current?.stars ?? null) : patch.stars;
      if (thumb === null && stars === null) deleteArmRating.run(runId, armIndex);
      else upsertArmRating.run(runId, armIndex, thumb, stars, now());
    }),

    rateRun: db.transaction((runId: string, patch: RunRatingPatch): void => {
      const current = selectRunRating.get(runId);
      const preferred =
        patch.preferredArm === undefined ? (current?.preferred_arm ?? null) : patch.preferredArm === 'tie' ? -1 : patch.preferredArm;
      upsertRunRating.run(runId, preferred, now());
    }),

    /** The experiment's settings, else the defaults ('' scope), else the built-in defaults. */
    settings(experimentId: string | null): ScoreSettings {
      const row = (experimentId ? selectSettings.get(experimentId) : undefined) ?? selectSettings.get('');
      if (!row) return DEFAULT_SCORE_SETTINGS;
      const parsed = ScoreSettings.safeParse(JSON.parse(row.settings));
      return parsed.success ? parsed.data : DEFAULT_SCORE_SETTINGS;
    },

    saveSettings(experimentId: string | null, settings: ScoreSettings): void {
      upsertSettings.run(experimentId ?? '', JSON.stringify(settings), now());
    },

    /** Every judge's prompt: the user's edit when there is one, the default otherwise. */
    prompts(): Record<JudgeId, JudgePrompt & { edited: boolean }> {
      const overrides = new Map(selectPrompts.all().filter((row) => isJudgeId(row.judge_id)).map((row) => [row.judge_id, row]));
      return Object.fromEntries(
        Object.values(JUDGES).map((judge) => {
          const override = overrides.get(judge.id);
          return [judge.id, override ? { system: override.system, template: override.template, edited: true } : { ...judge.prompt, edited: false }];
        }),
      ) as Record<JudgeId, JudgePrompt & { edited: boolean }>;
    },

    /** null resets the judge to its default prompt. */
    savePrompt(judgeId: JudgeId, prompt: JudgePrompt | null): void {
      const fallback = JUDGES[judgeId].prompt;
      if (prompt === null || (prompt.system === fallback.system && prompt.template === fallback.template)) deletePrompt.run(judgeId);
      else upsertPrompt.run(judgeId, prompt.system, prompt.template, now());
    },
  };
}

export type ScoreRepo = ReturnType<typeof createScoreRepo>;
