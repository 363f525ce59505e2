/**
 * Editing arms (pure; the editor's draft logic): a new mitigated arm, detaching an arm into a
 * free-text variant, and re-attaching it when that is sensible.
 */
import type { ArmConfig, ExperimentConfig } from '../domain';
import type { StepConfig } from '../steps/registry';
import { BUILT_IN_TECHNIQUES, type Technique } from '../techniques';
import type { ArmOverrides, BaselineArm, DerivedArm, DetachedArm } from './model';
import { resolveArmRequest, type ResolveEnv } from './resolve';
import { upgradeArm } from './upgrade';

/** A new mitigated arm applying one technique to the baseline. */
export function armFromTechnique(technique: Pick<Technique, 'id' | 'name'>, overrides: ArmOverrides = {}): DerivedArm {
  return { mode: 'derived', label: technique.name, steps: technique.id === 'plain' ? [] : [{ kind: 'technique', techniqueId: technique.id }], overrides: { ...overrides } };
}

function copySteps(steps: readonly StepConfig[]): StepConfig[] {
  return steps.map((step) => (step.kind === 'critique-revise' ? { ...step, principles: step.principles.map((p) => ({ ...p })) } : { ...step }));
}

/**
 * Detaches arm `index` into a variant with its own text: what it resolves to now (placeholders
 * kept as written), its pure request steps baked in; model-calling and answer steps stay steps.
 */
export function detachArm(config: Pick<ExperimentConfig, 'variables' | 'arms'>, index: number, env: ResolveEnv = {}): DetachedArm {
  const arm = config.arms[index]!;
  if (arm.mode === 'detached') return arm;
  const resolved = resolveArmRequest(config, index, { ...env, raw: true });
  const messages = resolved.request.messages;
  const last = messages.at(-1)!;
  const steps = arm.mode === 'derived' ? arm.steps.filter((_, i) => resolved.steps[i]?.status !== 'applied') : [];
  return {
    mode: 'detached',
    label: arm.label,
    modelId: resolved.request.modelId,
    inference: { ...resolved.request.inference },
    system: resolved.request.system,
    history: messages.slice(0, -1).map((turn) => ({ ...turn })),
    template: last.text,
    steps: copySteps(steps),
    ...(arm.mode === 'derived' ? { detachedFrom: { steps: copySteps(arm.steps), overrides: { ...arm.overrides } } } : {}),
  };
}

export interface Reattach {
  arm: DerivedArm;
  /** True when the variant's own text is exactly what the derived arm sends (nothing is lost). */
  lossless: boolean;
}

function sameText(a: ArmConfig, b: DetachedArm): boolean {
  const x = a as DetachedArm;
  return x.system.trim() === b.system.trim() && x.template === b.template && JSON.stringify(x.history) === JSON.stringify(b.history);
}

/**
 * The derived arm a variant can go back to: the one it was detached from, or one the upgrade
 * recognises (technique applied to the baseline). Null when there is nothing sensible to offer.
 */
export function reattachArm(config: Pick<ExperimentConfig, 'variables' | 'arms'>, index: number, env: ResolveEnv = {}): Reattach | null {
  const arm = config.arms[index];
  if (!arm || arm.mode !== 'detached' || index === 0) return null;
  const baseline = config.arms[0] as BaselineArm;
  if (arm.detachedFrom) {
    const derived: DerivedArm = { mode: 'derived', label: arm.label, steps: copySteps(arm.detachedFrom.steps), overrides: { ...arm.detachedFrom.overrides } };
    const arms = config.arms.slice();
    arms[index] = derived;
    const again = detachArm({ ...config, arms }, index, env);
    const lossless = sameText(again, arm) && again.modelId === arm.modelId && JSON.stringify(again.inference) === JSON.stringify(arm.inference);
    return { arm: derived, lossless };
  }
  const techniques = env.techniques ?? BUILT_IN_TECHNIQUES;
  for (const technique of techniques) {
    const legacy = { label: arm.label, technique: technique.id, modelId: arm.modelId, inference: arm.inference, system: arm.system, history: arm.history, template: arm.template };
    const upgraded = upgradeArm(legacy, index, baseline, techniques) as ArmConfig;
    if (upgraded.mode === 'derived') return { arm: { ...upgraded, steps: [...upgraded.steps, ...copySteps(arm.steps)] }, lossless: true };
  }
  return null;
}
