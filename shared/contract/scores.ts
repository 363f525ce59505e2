import { z } from 'zod';
import { JUDGE_IDS, type JudgeId, type JudgePrompt } from '../scores/judges';
import { SCORABLE_METRIC_IDS } from '../scores/metrics';
import { ScoreSettings, type RunScores, type ScoreProgress } from '../scores/types';
import { channel, event } from './channel';

const RunId = z.string().min(1).max(200);
/** null = the defaults, used by runs without an experiment and by experiments with no settings of their own. */
const ExperimentScope = z.object({ experimentId: z.string().min(1).max(200).nullable().default(null) });

export const ScoreRunRequest = z.object({
  runId: RunId,
  metrics: z.array(z.enum(SCORABLE_METRIC_IDS)).max(SCORABLE_METRIC_IDS.length).default([]),
  judges: z.array(z.enum(JUDGE_IDS)).max(JUDGE_IDS.length).default([]),
  /** Semantic robustness, with the stored (or `inputs.robustness`) settings: `count` model calls per arm. */
  robustness: z.boolean().default(false),
  /** Arm indexes to score; all arms with output when omitted. */
  arms: z.array(z.number().int().min(0).max(31)).max(32).optional(),
  /** One-off inputs for this job; the stored score settings otherwise. */
  inputs: ScoreSettings.pick({ question: true, reference: true, context: true, guidelines: true, judgeModel: true, robustness: true }).partial().optional(),
});

export const RateRequest = z
  .object({
    runId: RunId,
    armIndex: z.number().int().min(0).max(31).optional(),
    /** null clears. */
    thumb: z.enum(['up', 'down']).nullable().optional(),
    stars: z.number().int().min(1).max(5).nullable().optional(),
    preferredArm: z.union([z.number().int().min(0).max(31), z.literal('tie')]).nullable().optional(),
    /** The run's note (the same one History shows and searches, runs.note). */
    note: z.string().max(20_000).optional(),
  })
  .refine((r) => (r.thumb === undefined && r.stars === undefined) || r.armIndex !== undefined, {
    message: 'Say which arm the rating is for',
    path: ['armIndex'],
  });

export const JudgePromptInput = z.object({
  system: z.string().max(20_000),
  template: z.string().min(1, 'The prompt cannot be empty').max(50_000),
});

export type JudgePrompts = Record<JudgeId, JudgePrompt & { edited: boolean }>;

export const scoreChannels = {
  /** Every score and human rating of a run. */
  'scores:get': channel(z.object({ runId: RunId })).returns<RunScores>(),
  /** Runs the chosen metrics and judges on a stored run (no new generation; robustness alone calls the arms' models again); resolves when all are stored. */
  'scores:run': channel(ScoreRunRequest).returns<RunScores>(),
  'scores:cancel': channel(z.object({ runId: RunId })).returns<{ cancelled: boolean }>(),
  'scores:rate': channel(RateRequest).returns<RunScores>(),
  'scores:settings-get': channel(ExperimentScope).returns<ScoreSettings>(),
  'scores:settings-save': channel(ExperimentScope.extend({ settings: ScoreSettings })).returns<ScoreSettings>(),
};

export const judgeChannels = {
  'judges:prompts-get': channel(z.object({})).returns<JudgePrompts>(),
  /** prompt null resets the judge to its default prompt. */
  'judges:prompts-save': channel(z.object({ judgeId: z.enum(JUDGE_IDS), prompt: JudgePromptInput.nullable() })).returns<JudgePrompts>(),
};

export const scoreEvents = {
  'scores:progress': event<ScoreProgress>(),
  /** Scores or ratings of the run changed (after scoring, rating). */
  'scores:changed': event<{ runId: string }>(),
};
