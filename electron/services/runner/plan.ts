/**
 * What each arm of a configuration runs (issue 9): the request before its steps — the
 * baseline's, with a derived arm's overrides, or a detached arm's own, variables filled in —
 * and its steps in the order the user set them. The step engine applies every step at run
 * time (the pure ones through shared/steps/apply.ts, as the editor's preview does), so what
 * the preview shows is what is sent. `preview` is that static resolution (stored with the run
 * until the request steps have run; a rewrite then replaces it with what was actually sent).
 */
import { armTechniqueKey, resolveArmRequest, toArmRequest, type ResolveEnv } from '../../../shared/arms/resolve';
import type { ArmRequest, ExperimentConfig } from '../../../shared/domain';
import type { ArmPlan } from './runner';

export interface PlannedArm extends ArmPlan {
  label: string;
  technique: string;
  /** The statically resolved request (pure steps applied), what the run stores at first. */
  preview: ArmRequest;
}

export function planArms(config: ExperimentConfig, env: ResolveEnv = {}): PlannedArm[] {
  const variables = new Map(config.variables.map((v) => [v.name, v.value]));
  return config.arms.map((_, index) => planOne(config, index, env, variables));
}

/** One arm's plan (what re-running that arm alone needs); undefined when there is no such arm. */
export function planArm(config: ExperimentConfig, index: number, env: ResolveEnv = {}): PlannedArm | undefined {
  if (!config.arms[index]) return undefined;
  return planOne(config, index, env, new Map(config.variables.map((v) => [v.name, v.value])));
}

function planOne(config: ExperimentConfig, index: number, env: ResolveEnv, variables: Map<string, string>): PlannedArm {
  const arm = config.arms[index]!;
  const bare = { ...config, arms: config.arms.map((a, i) => (i === index && a.mode !== 'baseline' ? { ...a, steps: [] } : a)) };
  const base = resolveArmRequest(bare, index, env).request;
  const preview = resolveArmRequest(config, index, env).request;
  return {
    label: arm.label,
    technique: armTechniqueKey(arm),
    modelId: base.modelId,
    request: toArmRequest(base),
    preview: toArmRequest(preview),
    steps: arm.mode === 'baseline' ? [] : arm.steps,
    variables,
  };
}
