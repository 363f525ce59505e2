import { z } from 'zod';
import { ArmSpec } from './arms/model';
import { upgradeConfig } from './arms/upgrade';
import type { ImageSettings } from './images/request';
import type { AnswerVersion, StepTrace } from './steps/trace';

/** Inference settings sent with every Converse call of an arm. */
export const InferenceSettings = z.object({
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().min(1).max(200_000).optional(),
  stopSequences: z.array(z.string().min(1)).max(4).optional(),
});
export type InferenceSettings = z.infer<typeof InferenceSettings>;

/** An earlier turn of a conversation an arm replays before its new input. */
export const Turn = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string().max(200_000),
});
export type Turn = z.infer<typeof Turn>;

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const Variable = z.object({
  name: z.string().max(64).regex(VARIABLE_NAME, 'Use letters, digits and _ only, not starting with a digit'),
  value: z.string().max(50_000),
});
export type Variable = z.infer<typeof Variable>;

/**
 * One column of a comparison (issue 9, shared/arms/model.ts): arms[0] is the baseline (it holds
 * the request); later arms are derived ("Mitigated": steps and overrides over the baseline) or
 * detached ("Variant": their own free text).
 */
export const ArmConfig = ArmSpec;
export type ArmConfig = ArmSpec;
export type { BaselineArm, DerivedArm, DetachedArm, ArmOverrides } from './arms/model';

export const MAX_ARMS = 4;
/** A comparison runs a baseline and at least one mitigated arm (a saved draft may hold fewer). */
export const MIN_ARMS = 2;

const ExperimentConfigShape = z
  .object({
    variables: z.array(Variable).default([]),
    arms: z.array(ArmSpec).min(1).max(MAX_ARMS),
  })
  .superRefine((config, ctx) => {
    config.arms.forEach((arm, index) => {
      if (index === 0 && arm.mode !== 'baseline') {
        ctx.addIssue({ code: 'custom', path: ['arms', 0, 'mode'], message: 'The first arm must be the baseline' });
      } else if (index > 0 && arm.mode === 'baseline') {
        ctx.addIssue({ code: 'custom', path: ['arms', index, 'mode'], message: 'Only the first arm is the baseline; make this arm mitigated or a variant' });
      }
    });
  });

/**
 * An experiment's configuration. Stored configurations from before issue 9 (arms as full copies
 * with a technique id) are upgraded on every parse by shared/arms/upgrade.ts.
 */
export const ExperimentConfig = z.preprocess((value) => upgradeConfig(value), ExperimentConfigShape);
export type ExperimentConfig = z.output<typeof ExperimentConfigShape>;

export const ExperimentInput = z.object({
  id: z.string().min(1).max(200).optional(),
  name: z.string().trim().min(1, 'Give the experiment a name').max(200),
  description: z.string().max(5_000).default(''),
  labId: z.string().min(1).max(200).nullable().default(null),
  config: ExperimentConfig,
});
export type ExperimentInput = z.input<typeof ExperimentInput>;

export interface Experiment {
  id: string;
  name: string;
  description: string;
  labId: string | null;
  config: ExperimentConfig;
  createdAt: number;
  updatedAt: number;
}

export interface ExperimentSummary {
  id: string;
  name: string;
  description: string;
  armCount: number;
  updatedAt: number;
}

export const RUN_STATUSES = ['running', 'completed', 'cancelled', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ARM_STATUSES = ['pending', 'streaming', 'completed', 'cancelled', 'failed', 'interrupted'] as const;
export type ArmStatus = (typeof ARM_STATUSES)[number];

/** What an arm actually sent: the resolved system prompt and conversation. */
export interface ArmRequest {
  system: string;
  messages: Turn[];
  inference: InferenceSettings;
  /** Image arms (issue 12): the image settings; the prompt is the last user message. */
  image?: ImageSettings;
}

export interface ArmMetrics {
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  totalMs: number | null;
  costUsd: number | null;
}

export interface ArmResult {
  index: number;
  label: string;
  technique: string;
  modelId: string;
  request: ArmRequest;
  text: string;
  status: ArmStatus;
  stopReason: string | null;
  error: { code: string; message: string; details?: string } | null;
  metrics: ArmMetrics;
  /** The arm's pipeline as it ran (issue 9): request steps, 'generate', answer steps. */
  steps?: StepTrace[];
  /** The answer's versions when a step revised it: the first draft, then each revision; empty otherwise. */
  versions?: AnswerVersion[];
  /** The step that stopped the arm, and why (shown in the column). */
  stoppedBy?: StoppedBy | null;
}

export interface StoppedBy {
  stepIndex: number;
  label: string;
  reason: string;
}

/** A run as stored: the configuration snapshot it ran with and every arm's outcome. */
export interface RunDetail {
  id: string;
  experimentId: string | null;
  title: string;
  config: ExperimentConfig;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  arms: ArmResult[];
}
