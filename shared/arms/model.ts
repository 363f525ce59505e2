/**
 * The arm model (issue 9): an experiment holds ONE baseline request; every other arm says how it
 * differs from it. Nothing is copied, so nothing drifts.
 *
 * - baseline: the request itself (system, earlier turns, `${name}` template, model, inference).
 * - derived ("Mitigated"): an ordered list of mitigation steps plus optional overrides (model,
 *   inference). What it sends is computed from the baseline every time (shared/arms/resolve.ts).
 * - detached ("Variant"): its own free-text request (e.g. a pirate persona that is not a
 *   mitigation); it no longer follows the baseline and the editor says so. It may still have steps.
 *
 * This module is the target shape; `shared/domain.ts` re-exports it as ArmConfig/ExperimentConfig
 * (issue 9). Stored configurations from before are upgraded by shared/arms/upgrade.ts (on every
 * parse, and by migration 0016 with the user's own techniques).
 */
import { z } from 'zod';
import { StepConfig, MAX_STEPS } from '../steps/registry';
import { ImageSettings } from '../images/request';

const InferenceSettings = z.object({
  temperature: z.number().min(0).max(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().min(1).max(200_000).optional(),
  stopSequences: z.array(z.string().min(1)).max(4).optional(),
});

const TurnSchema = z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(200_000) });

const Label = z.string().trim().min(1, 'Give the arm a label').max(80, 'Keep the label under 80 characters');
const ModelId = z.string().min(1).max(200);

/** The request every derived arm starts from. */
export const BaselineArm = z.object({
  mode: z.literal('baseline'),
  label: Label.default('Baseline'),
  modelId: ModelId,
  inference: InferenceSettings.default({}),
  system: z.string().max(50_000).default(''),
  history: z.array(TurnSchema).max(200).default([]),
  template: z.string().max(50_000),
  /** Present in an image comparison (issue 12): the template is the image prompt, the model an image model. */
  image: ImageSettings.optional(),
});
export type BaselineArm = z.infer<typeof BaselineArm>;

export const ArmOverrides = z.object({
  modelId: ModelId.optional(),
  /** Merged over the baseline's settings, key by key. */
  inference: InferenceSettings.optional(),
  /** Image comparisons: settings merged over the baseline's (the seed stays shared unless set here). */
  image: ImageSettings.partial().optional(),
});
export type ArmOverrides = z.infer<typeof ArmOverrides>;

export const DerivedArm = z.object({
  mode: z.literal('derived'),
  label: Label,
  steps: z.array(StepConfig).max(MAX_STEPS).default([]),
  overrides: ArmOverrides.default({}),
});
export type DerivedArm = z.infer<typeof DerivedArm>;

export const DetachedArm = z.object({
  mode: z.literal('detached'),
  label: Label,
  modelId: ModelId,
  inference: InferenceSettings.default({}),
  system: z.string().max(50_000).default(''),
  history: z.array(TurnSchema).max(200).default([]),
  template: z.string().max(50_000),
  steps: z.array(StepConfig).max(MAX_STEPS).default([]),
  image: ImageSettings.optional(),
  /** What the arm was before it was detached in the editor, so it can be re-attached. */
  detachedFrom: z.object({ steps: z.array(StepConfig).max(MAX_STEPS), overrides: ArmOverrides }).optional(),
});
export type DetachedArm = z.infer<typeof DetachedArm>;

export const ArmSpec = z.discriminatedUnion('mode', [BaselineArm, DerivedArm, DetachedArm]);
export type ArmSpec = z.infer<typeof ArmSpec>;

/** What the column header says: Baseline, Mitigated (follows the baseline) or Variant (detached). */
export function armRole(arm: Pick<ArmSpec, 'mode'>): 'Baseline' | 'Mitigated' | 'Variant' {
  return arm.mode === 'baseline' ? 'Baseline' : arm.mode === 'derived' ? 'Mitigated' : 'Variant';
}
