/**
 * Text or image comparison: an experiment is an image comparison when its baseline has image
 * settings. Switching keeps the prompt and the arms; steps that do not fit the new kind are
 * dropped, and so are model overrides (a text model cannot draw, an image model cannot answer).
 */
import type { ArmConfig, ExperimentConfig } from '../domain';
import { stepFits } from '../steps/registry';
import { ImageSettings } from './request';

export const DEFAULT_IMAGE_MODEL = 'amazon.titan-image-generator-v2:0';

export type Medium = 'text' | 'image';

export function mediumOf(config: Pick<ExperimentConfig, 'arms'>): Medium {
  const baseline = config.arms[0];
  return baseline?.mode === 'baseline' && baseline.image ? 'image' : 'text';
}

function fitArm(arm: ArmConfig, medium: Medium, modelId: string): ArmConfig {
  if (arm.mode === 'baseline') {
    if (medium === 'image') return { ...arm, modelId, image: arm.image ?? ImageSettings.parse({}) };
    const { image: _dropped, ...rest } = arm;
    return { ...rest, modelId };
  }
  const steps = arm.steps.filter((step) => stepFits(step.kind, medium));
  if (arm.mode === 'derived') {
    const { modelId: _model, image: _image, ...overrides } = arm.overrides;
    return { ...arm, steps, overrides };
  }
  if (medium === 'image') return { ...arm, steps, modelId, image: arm.image ?? ImageSettings.parse({}) };
  const { image: _dropped, ...rest } = arm;
  return { ...rest, steps, modelId };
}

/** The same experiment as a comparison of the other kind, on `modelId` (an image or a text model). */
export function withMedium<C extends Pick<ExperimentConfig, 'arms'>>(config: C, medium: Medium, modelId: string): C {
  if (mediumOf(config) === medium) return config;
  return { ...config, arms: config.arms.map((arm) => fitArm(arm, medium, modelId)) };
}
