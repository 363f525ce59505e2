/**
 * The resolved request of every arm, computed from the baseline (pure; the editor runs it live,
 * the runner and the step engine start from it).
 *
 * - baseline: its own request, variables filled in.
 * - derived: the baseline's request with the arm's overrides (model; inference merged key by key),
 *   then its request steps in order. Pure kinds (technique, specify) are applied here through
 *   shared/steps/apply.ts; a kind that calls a model (rewrite) can only be known when the arm
 *   runs, so it is marked "applied when the arm runs" and the request shown is the one it will
 *   receive. Answer steps (critique and revise) run on the answer and do not change the request.
 * - detached: its own request (it no longer follows the baseline), then its request steps.
 */
import type { ArmConfig, ArmRequest, ExperimentConfig, Variable } from '../domain';
import { MIN_ARMS } from '../domain';
import { applyPureStep, inputOf, type ResolvedRequest } from '../steps/apply';
import { STEP_KINDS, stepPhase, type StepConfig } from '../steps/registry';
import { groundingProblem } from '../steps/grounding-checks';
import { BASELINE_TECHNIQUE, BUILT_IN_TECHNIQUES, findTechnique, type Technique } from '../techniques';
import { renderTemplate } from '../templates';
import type { BaselineArm, DetachedArm } from './model';

export type { ResolvedRequest } from '../steps/apply';

/**
 * applied: its effect is in the resolved request; at-run: it calls a model, applied when the arm
 * runs; answer: runs on the answer; problem: cannot be applied (see `problem`).
 */
export type ResolvedStepStatus = 'applied' | 'at-run' | 'answer' | 'problem';

export interface ResolvedStep {
  index: number;
  kind: StepConfig['kind'];
  /** What a person reads: the technique's name, the kind's name. */
  label: string;
  status: ResolvedStepStatus;
  problem?: string;
}

export interface ResolvedArmRequest {
  request: ResolvedRequest;
  steps: ResolvedStep[];
  /** True when a model-calling request step will change the request further when the arm runs. */
  changesAtRun: boolean;
  /** Variable names used (first use first), undefined ones, malformed `${...}` bodies. */
  used: string[];
  missing: string[];
  invalid: string[];
}

export interface ResolveEnv {
  techniques?: readonly Technique[];
  /** Leave `${name}` placeholders as written (detach: the arm's own text keeps them). */
  raw?: boolean;
  /** Stop before the arm's steps: the request the step engine starts from at run time. */
  skipSteps?: boolean;
}

function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

type RequestSource = Pick<BaselineArm, 'modelId' | 'inference' | 'system' | 'history' | 'template' | 'image'>;

/** The request a baseline or detached arm's own fields describe. */
function sourceOf(arm: ArmConfig, baseline: BaselineArm): RequestSource {
  if (arm.mode === 'derived') {
    return {
      ...baseline,
      modelId: arm.overrides.modelId ?? baseline.modelId,
      inference: { ...baseline.inference, ...arm.overrides.inference },
      ...(baseline.image ? { image: { ...baseline.image, ...arm.overrides.image } } : {}),
    };
  }
  return arm as BaselineArm | DetachedArm;
}

export function stepLabel(step: StepConfig, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): string {
  if (step.kind === 'technique') return findTechnique(techniques, step.techniqueId)?.name ?? step.techniqueId;
  return STEP_KINDS[step.kind]?.name ?? step.kind;
}

/** Resolves one arm of a configuration (arms[0] must be the baseline). */
export function resolveArmRequest(config: Pick<ExperimentConfig, 'variables' | 'arms'>, index: number, env: ResolveEnv = {}): ResolvedArmRequest {
  const techniques = env.techniques ?? BUILT_IN_TECHNIQUES;
  const baseline = config.arms[0] as BaselineArm;
  const arm = config.arms[index]!;
  const values = new Map(config.variables.map((v: Variable) => [v.name, v.value]));
  const used: string[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  const render = (text: string): string => {
    if (env.raw) return text;
    const result = renderTemplate(text, values);
    result.used.forEach((name) => pushOnce(used, name));
    result.missing.forEach((name) => pushOnce(missing, name));
    result.invalid.forEach((name) => pushOnce(invalid, name));
    return result.text;
  };
  const source = sourceOf(arm, baseline);
  let request: ResolvedRequest = {
    modelId: source.modelId,
    system: render(source.system),
    messages: [...source.history.map((turn) => ({ role: turn.role, text: render(turn.text) })), { role: 'user' as const, text: render(source.template) }],
    inference: { ...source.inference },
    ...(source.image ? { image: { ...source.image, extraPrompts: source.image.extraPrompts.map((p) => ({ ...p })) } } : {}),
  };
  const steps: ResolvedStep[] = [];
  let changesAtRun = false;
  const armSteps = arm.mode === 'baseline' || env.skipSteps ? [] : arm.steps;
  armSteps.forEach((step, stepIndex) => {
    const label = stepLabel(step, techniques);
    const info = STEP_KINDS[step.kind];
    if (info && stepPhase(step) === 'answer') {
      steps.push({ index: stepIndex, kind: step.kind, label, status: 'answer' });
      return;
    }
    const outcome = applyPureStep(step, request, { techniques, render });
    const grounding = outcome ? null : groundingProblem(armSteps, stepIndex);
    if (grounding) {
      steps.push({ index: stepIndex, kind: step.kind, label, status: 'problem', problem: grounding });
    } else if (!outcome) {
      changesAtRun = true;
      steps.push({ index: stepIndex, kind: step.kind, label, status: 'at-run' });
    } else if (outcome.ok) {
      request = outcome.request;
      steps.push({ index: stepIndex, kind: step.kind, label, status: 'applied' });
    } else {
      steps.push({ index: stepIndex, kind: step.kind, label, status: 'problem', problem: outcome.problem });
    }
  });
  return { request, steps, changesAtRun, used, missing, invalid };
}

export function resolveArms(config: Pick<ExperimentConfig, 'variables' | 'arms'>, env: ResolveEnv = {}): ResolvedArmRequest[] {
  return config.arms.map((_, index) => resolveArmRequest(config, index, env));
}

/** The stored shape of what an arm sends (runs keep it as their snapshot). */
export function toArmRequest(request: ResolvedRequest): ArmRequest {
  return { system: request.system, messages: request.messages, inference: request.inference, ...(request.image ? { image: request.image } : {}) };
}

/** The technique key of an arm for History, filters and exports: 'plain' for the baseline. */
export function armTechniqueKey(arm: ArmConfig): string {
  if (arm.mode === 'baseline') return BASELINE_TECHNIQUE;
  if (arm.mode === 'detached') return 'variant';
  const technique = arm.steps.find((step) => step.kind === 'technique');
  if (technique) return technique.techniqueId;
  return arm.steps[0]?.kind ?? BASELINE_TECHNIQUE;
}

/** A friendly name for an arm's technique key. */
export function techniqueKeyLabel(key: string, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): string {
  if (key === 'variant') return 'Variant (own prompt)';
  const technique = findTechnique(techniques, key);
  if (technique) return technique.name;
  const kind = STEP_KINDS[key as StepConfig['kind']];
  return kind ? kind.name : key;
}

export interface ConfigProblems {
  /** Per arm: names used but not defined. */
  missing: string[][];
  /** Per arm: malformed placeholders. */
  invalid: string[][];
  /** Defined variables no arm uses. */
  unused: string[];
  /** Variable names defined more than once. */
  duplicates: string[];
  /** Arms whose final user message is empty. */
  emptyPrompts: number[];
  /** Per arm: steps that cannot be applied ("technique X is not in your library"). */
  stepProblems: string[][];
  /** Only a baseline: a comparison needs at least one mitigated arm. */
  needsMitigatedArm: boolean;
  ok: boolean;
}

/** Everything the editor shows inline before a run; `ok` is false when the run must not start. */
export function checkConfig(config: Pick<ExperimentConfig, 'variables' | 'arms'>, env: ResolveEnv = {}): ConfigProblems {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const variable of config.variables) {
    if (seen.has(variable.name)) pushOnce(duplicates, variable.name);
    seen.add(variable.name);
  }
  const usedAnywhere = new Set<string>();
  const missing: string[][] = [];
  const invalid: string[][] = [];
  const emptyPrompts: number[] = [];
  const stepProblems: string[][] = [];
  resolveArms(config, env).forEach((resolved, index) => {
    resolved.used.forEach((name) => usedAnywhere.add(name));
    missing.push(resolved.missing);
    invalid.push(resolved.invalid);
    stepProblems.push(resolved.steps.flatMap((step) => (step.problem ? [step.problem] : [])));
    if (inputOf(resolved.request).trim() === '' && !resolved.changesAtRun) emptyPrompts.push(index);
  });
  const unused = config.variables.map((v) => v.name).filter((name) => name !== '' && !usedAnywhere.has(name));
  const needsMitigatedArm = config.arms.length < MIN_ARMS;
  const ok =
    missing.every((m) => m.length === 0) &&
    duplicates.length === 0 &&
    emptyPrompts.length === 0 &&
    stepProblems.every((p) => p.length === 0) &&
    !needsMitigatedArm;
  return { missing, invalid, unused: [...new Set(unused)], duplicates, emptyPrompts, stepProblems, needsMitigatedArm, ok };
}
