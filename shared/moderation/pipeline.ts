/**
 * Moderation pipelines (issue 10): a named, saved list of guards on the input (before the model
 * call) and on the output (after it), applied to an arm as one group of steps. Applying a pipeline
 * copies its guards into the arm as steps tagged with the pipeline's id and name, so a run keeps
 * exactly the guards it ran with even if the pipeline is edited or deleted later.
 */
import { z } from 'zod';
import { StepConfig, isGuardStep, type StepConfig as StepConfigType } from '../steps/registry';

export const GuardStepConfig = StepConfig.refine((step) => isGuardStep(step), 'Only guard steps can be part of a moderation pipeline');

export const PipelineInput = z.object({
  id: z.string().min(1).max(80).optional(),
  name: z.string().trim().min(1, 'Name the pipeline').max(80, 'Keep the name under 80 characters'),
  input: z.array(GuardStepConfig).max(6).default([]),
  output: z.array(GuardStepConfig).max(6).default([]),
}).refine((p) => p.input.length + p.output.length > 0, 'Add at least one guard to the pipeline');
export type PipelineInput = z.input<typeof PipelineInput>;

export interface ModerationPipeline {
  id: string;
  name: string;
  input: StepConfigType[];
  output: StepConfigType[];
  createdAt: number;
  updatedAt: number;
  /** Runs that used it (any version of it). */
  runCount: number;
}

/** The steps an arm gets from a pipeline: input guards (stage input), then output guards, tagged. */
export function pipelineSteps(pipeline: Pick<ModerationPipeline, 'id' | 'name' | 'input' | 'output'>): StepConfigType[] {
  const ref = { id: pipeline.id, name: pipeline.name };
  const tag = (step: StepConfigType, stage: 'input' | 'output'): StepConfigType => ({ ...step, stage, pipeline: ref }) as StepConfigType;
  return [...pipeline.input.map((s) => tag(s, 'input')), ...pipeline.output.map((s) => tag(s, 'output'))];
}

/** Replaces an arm's steps from `pipelineId` (if any) with the pipeline's current steps; other steps stay. */
export function applyPipeline(steps: readonly StepConfigType[], pipeline: Pick<ModerationPipeline, 'id' | 'name' | 'input' | 'output'>): StepConfigType[] {
  const kept = steps.filter((step) => !('pipeline' in step && step.pipeline?.id === pipeline.id));
  return [...kept, ...pipelineSteps(pipeline)];
}

/** The pipelines (id → name) an arm's steps came from. */
export function pipelinesOf(steps: readonly StepConfigType[]): { id: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const step of steps) if ('pipeline' in step && step.pipeline) seen.set(step.pipeline.id, step.pipeline.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

export interface PipelineUse {
  armIndex: number;
  pipelineId: string;
  name: string;
  /** The arm's steps that came from the pipeline, as they ran. */
  steps: StepConfigType[];
}

/** Which pipelines each arm's steps came from, with those steps (what a run records when it starts). */
export function pipelineUses(arms: readonly { index: number; steps: readonly StepConfigType[] }[]): PipelineUse[] {
  return arms.flatMap((arm) =>
    pipelinesOf(arm.steps).map((ref) => ({
      armIndex: arm.index,
      pipelineId: ref.id,
      name: ref.name,
      steps: arm.steps.filter((step) => 'pipeline' in step && step.pipeline?.id === ref.id),
    })),
  );
}
