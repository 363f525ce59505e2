/**
 * The comparison workspace: start a run of every arm at once, stop it, re-run one arm, ask a
 * model for a mitigation; the user's own techniques. Streaming comes back as events.
 */
import { z } from 'zod';
import type { ArmMetrics, ArmResult, ArmStatus, RunDetail, RunStatus, StoppedBy } from '../domain';
import { ExperimentConfig, MIN_ARMS } from '../domain';
import type { StepTrace, AnswerVersion } from '../steps/trace';
import type { Technique } from '../techniques';
import { TechniqueInput } from '../techniques';
import { channel, event } from './channel';

export const CompareRunRequest = z.object({
  /** The saved experiment this run belongs to, if any (the run keeps its own config snapshot). */
  experimentId: z.string().min(1).max(200).nullable().default(null),
  /** The guided lab the comparison came from, if any; stored on the run (runs.lab_id) even when unsaved. */
  labId: z.string().min(1).max(200).nullable().default(null),
  title: z.string().trim().min(1).max(200).default('Untitled comparison'),
  config: ExperimentConfig.refine((c) => c.arms.length >= MIN_ARMS, {
    message: `Add a mitigated arm: a comparison runs the baseline and at least ${MIN_ARMS - 1} more`,
    path: ['arms'],
  }),
});

export const RunArmRef = z.object({ runId: z.string().min(1).max(200), armIndex: z.number().int().min(0).max(15) });

export interface SuggestResult {
  original: string;
  rewrite: string;
  modelId: string;
}

export const compareChannels = {
  /** Creates the run (and its arm rows) and starts streaming; answers at once with the new run. */
  'compare:run': channel(CompareRunRequest).returns<RunDetail>(),
  /** Stops every arm still streaming; partial text is kept. */
  'compare:cancel': channel(z.object({ runId: z.string().min(1).max(200) })).returns<{ cancelled: number }>(),
  /** Runs one arm of a stored run again, with the run's own configuration snapshot. */
  'compare:rerun-arm': channel(RunArmRef).returns<RunDetail>(),
  /** Asks a model to rewrite a prompt without loaded assumptions. */
  'compare:suggest': channel(
    z.object({ prompt: z.string().trim().min(1, 'Write a prompt first').max(20_000), modelId: z.string().min(1).max(200).optional() }),
  ).returns<SuggestResult>(),
  /** The user's answer to a step's question (StepContext.ask) shown in an arm's column. */
  'compare:answer': channel(
    z.object({
      runId: z.string().min(1),
      armIndex: z.number().int().min(0).max(15),
      stepIndex: z.number().int().min(0).max(64),
      answer: z.string().trim().min(1, 'Write an answer first').max(20_000),
    }),
  ).returns<{ accepted: boolean }>(),
  'techniques:list': channel(z.object({})).returns<Technique[]>(),
  'techniques:save': channel(TechniqueInput).returns<Technique>(),
  'techniques:delete': channel(z.object({ id: z.string().min(1).max(200) })).returns<{ deleted: boolean }>(),
};

export interface ArmUpdate {
  runId: string;
  armIndex: number;
  status: ArmStatus;
  stopReason: string | null;
  error: ArmResult['error'];
  metrics: ArmMetrics;
  /** The arm's whole text at this point (sent on state changes, not on every delta). */
  text: string;
  /** Set when a step revised the answer: the draft and each revision (text is the last). */
  versions?: AnswerVersion[];
  /** Set when a step stopped the arm. */
  stoppedBy?: StoppedBy | null;
}

export const compareEvents = {
  /** A run (or a re-run of one arm) began; carries the run as stored, arms pending. */
  'run:started': event<{ run: RunDetail }>(),
  /**
   * New text for one arm. Deltas are coalesced in main (one event per arm per ~16 ms at most),
   * so `text` may hold several model chunks; append it to what the arm already shows.
   */
  'run:delta': event<{ runId: string; armIndex: number; text: string }>(),
  /** An arm changed state: streaming, completed, cancelled, failed (with metrics and error). */
  'run:arm': event<ArmUpdate>(),
  /** One step of an arm's pipeline changed (started, detail, waiting for the user, finished). */
  'run:step': event<{ runId: string; armIndex: number; step: StepTrace }>(),
  /** Every arm has settled; the run is saved with its final status. */
  'run:finished': event<{ runId: string; status: RunStatus }>(),
};
