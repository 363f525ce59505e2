/** Scores, human ratings and score settings as they cross the IPC boundary. */
import { z } from 'zod';
import { DEFAULT_GUIDELINES, JUDGE_IDS } from './judges';
import { SCORABLE_METRIC_IDS } from './metrics';
import { RobustnessSettings } from './robustness';

export type ScoreKind = 'metric' | 'judge';

/** One metric or judgment of one arm of a run. */
export interface Score {
  runId: string;
  armIndex: number;
  /** The arm compared against (the baseline, 0) for pairwise judgments; null otherwise. */
  otherArmIndex: number | null;
  kind: ScoreKind;
  /** A judge id (shared/scores/judges.ts), a metric id (shared/metrics METRICS registry) or 'robustness' (kind 'metric'). */
  scorer: string;
  /** The headline figure the card shows and the delta compares; null when it failed. */
  value: number | null;
  /** Everything else the scorer returned (per-category figures, per-guideline results, raw replies). */
  details: unknown;
  passed: boolean | null;
  /** The judge's reasoning, or a metric's short explanation. */
  feedback: string;
  /** The exact prompt the judge saw (system + user), for audit. */
  prompt: string | null;
  modelId: string | null;
  /** Why this score could not be produced; the other scores of the run are unaffected. */
  error: string | null;
  /** The arm (or the baseline, for pairwise) was generated again after this score: re-score it. */
  stale: boolean;
  createdAt: number;
}

export type Thumb = 'up' | 'down';

export interface ArmRating {
  armIndex: number;
  thumb: Thumb | null;
  stars: number | null;
}

export interface RunRatings {
  arms: ArmRating[];
  /** An arm index, 'tie', or null when no preference was given. */
  preferredArm: number | 'tie' | null;
  /** The run's one note: runs.note, the same note History shows and searches. */
  note: string;
  updatedAt: number | null;
}

export interface RunScores {
  runId: string;
  scores: Score[];
  ratings: RunRatings;
}

export const ScoreSettings = z.object({
  /** Scorers that run by themselves when a run finishes. Judges cost Bedrock calls, so none by default. */
  autoMetrics: z.array(z.enum(SCORABLE_METRIC_IDS)).max(SCORABLE_METRIC_IDS.length).default(['refusal', 'words', 'piiCount']),
  autoJudges: z.array(z.enum(JUDGE_IDS)).max(JUDGE_IDS.length).default([]),
  /** Robustness after every run: costs `robustness.count` model calls per arm, so off by default. */
  autoRobustness: z.boolean().default(false),
  /** How robustness perturbs the input and which score it follows. */
  robustness: RobustnessSettings.prefault({}),
  /** The question judges see; '' = the baseline arm's last user message. */
  question: z.string().max(50_000).default(''),
  reference: z.string().max(50_000).default(''),
  context: z.string().max(200_000).default(''),
  guidelines: z.array(z.string().trim().min(1).max(1_000)).max(30).default([...DEFAULT_GUIDELINES]),
  /** The judge model; null = the default judge model from the Bedrock settings. */
  judgeModel: z.string().trim().min(1).max(2_048).nullable().default(null),
});
export type ScoreSettings = z.output<typeof ScoreSettings>;
export type ScoreSettingsInput = z.input<typeof ScoreSettings>;

export const DEFAULT_SCORE_SETTINGS: ScoreSettings = ScoreSettings.parse({});

export interface ScoreProgress {
  runId: string;
  done: number;
  total: number;
  /** The scorer that just finished (absent on the first event). */
  scorer?: string;
  armIndex?: number;
  finished: boolean;
}
