/**
 * What each arm of a configuration runs (issue 9): the request before its steps, resolved from the
 * baseline (shared/arms/resolve.ts: the baseline's system, earlier turns and rendered prompt, the
 * arm's model and inference overrides; a variant's own text), and its steps in the order the user
 * set them. The step engine applies every step at run time, pure ones through the same
 * transforms the editor's live preview uses (shared/steps/apply.ts).
 */
import { armTechniqueKey, resolveArmRequest, toArmRequest, type ResolveEnv } from '../../../shared/arms/resolve';
import type { ExperimentConfig } from '../../../shared/domain';
import type { ArmPlan } from './runner';

export interface PlannedArm extends ArmPlan {
  label: string;
  technique: string;
}

export function planArms(config: ExperimentConfig, env: ResolveEnv = {}): PlannedArm[] {
  const variables = new Map(config.variables.map((v) => [v.name, v.value]));
  return config.arms.map((arm, index) => {
    const before = resolveArmRequest(config, index, { ...env, skipSteps: true }).request;
    return {
      label: arm.label,
      technique: armTechniqueKey(arm),
      modelId: before.modelId,
      request: toArmRequest(before),
      steps: arm.mode === 'baseline' ? [] : arm.steps,
      variables,
    };
  });
}
