/**
 * What each arm of a configuration runs: the request before its steps (system, earlier turns
 * and the rendered prompt, model, inference) and its steps, in the order the user set them.
 */
import type { ExperimentConfig } from '../../../shared/domain';
import { resolveArm } from '../../../shared/templates';
import type { ArmPlan } from './runner';

export interface PlannedArm extends ArmPlan {
  label: string;
  technique: string;
}

export function planArms(config: ExperimentConfig): PlannedArm[] {
  const variables = new Map(config.variables.map((v) => [v.name, v.value]));
  return config.arms.map((arm) => ({
    label: arm.label,
    technique: arm.technique,
    modelId: arm.modelId,
    request: resolveArm(arm, config.variables).request,
    steps: [],
    variables,
  }));
}
