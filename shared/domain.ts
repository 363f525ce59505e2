import { z } from 'zod';
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

/** One column of a comparison. The first arm of an experiment is the baseline. */
export const ArmConfig = z.object({
  label: z.string().trim().min(1).max(80),
  technique: z.string().min(1).max(80),
  modelId: z.string().min(1).max(200),
  inference: InferenceSettings.default({}),
  system: z.string().max(50_000).default(''),
  history: z.array(Turn).default([]),
  template: z.string().max(50_000),
});
export type ArmConfig = z.infer<typeof ArmConfig>;

export const MAX_ARMS = 4;
/** A comparison runs a baseline and at least one mitigated arm (a saved draft may hold fewer). */
export const MIN_ARMS = 2;

export const ExperimentConfig = z.object({
  variables: z.array(Variable).default([]),
  arms: z.array(ArmConfig).min(1).max(MAX_ARMS),
});
export type ExperimentConfig = z.infer<typeof ExperimentConfig>;

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
