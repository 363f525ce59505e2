/**
 * Upgrades a stored configuration from before issue 9 (every arm a full copy of its request,
 * with a `technique` id) to the arm model of shared/arms/model.ts:
 *
 * - arms[0] becomes the baseline;
 * - a later arm that equals "technique applied to the baseline" (same earlier turns, and system
 *   and template equal to applyTechnique(technique, baseline)) becomes derived, with one technique
 *   step and overrides for the model and inference settings that differ;
 * - a later arm equal to the baseline but for model / inference (technique "plain" or one the
 *   library does not know) becomes derived with no steps and those overrides;
 * - anything else becomes detached ("Variant"): it keeps its own text and no longer follows the baseline.
 *
 * Arms already in the new shape pass through untouched, so upgrading twice changes nothing. Used
 * by ExperimentConfig (every parse: experiments, runs, imports, packs, labs) with the shipped
 * technique library, and by migration 0016 with the user's own techniques as well.
 */
import { applyTechnique, BUILT_IN_TECHNIQUES, findTechnique, type Technique } from '../techniques';

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored arm from before issue 9: it has no `mode`. */
export function isLegacyArm(value: unknown): value is Obj {
  return isObj(value) && !('mode' in value);
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function turnsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function inferenceOf(value: unknown): Obj {
  return isObj(value) ? value : {};
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return false;
}

interface BaseFields {
  modelId: unknown;
  inference: Obj;
  system: string;
  history: unknown[];
  template: string;
}

function baseFields(arm: Obj): BaseFields {
  return { modelId: arm.modelId, inference: inferenceOf(arm.inference), system: str(arm.system), history: turnsOf(arm.history), template: str(arm.template) };
}

/**
 * The overrides that turn the baseline's model and settings into the arm's, or null when they
 * cannot be expressed (the arm drops a setting the baseline has: overrides only add or change).
 */
function overridesFor(arm: BaseFields, base: BaseFields): Obj | null {
  const overrides: Obj = {};
  if (!same(arm.modelId, base.modelId)) overrides.modelId = arm.modelId;
  const inference: Obj = {};
  for (const key of new Set([...Object.keys(arm.inference), ...Object.keys(base.inference)])) {
    const mine = arm.inference[key];
    const theirs = base.inference[key];
    if (same(mine, theirs)) continue;
    if (mine === undefined) return null;
    inference[key] = mine;
  }
  if (Object.keys(inference).length > 0) overrides.inference = inference;
  return overrides;
}

/** Upgrades one stored arm given the (already known) baseline fields. */
export function upgradeArm(arm: unknown, index: number, baseline: BaseFields | null, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): unknown {
  if (!isLegacyArm(arm)) return arm;
  const fields = baseFields(arm);
  const label = arm.label;
  if (index === 0 || !baseline) {
    return { mode: 'baseline', label: label ?? 'Baseline', modelId: fields.modelId, inference: fields.inference, system: fields.system, history: fields.history, template: fields.template };
  }
  const overrides = overridesFor(fields, baseline);
  const sameHistory = same(fields.history, baseline.history);
  if (overrides && sameHistory) {
    const technique = findTechnique(techniques, str(arm.technique));
    if (technique) {
      const applied = applyTechnique(technique, baseline);
      if (applied.template === fields.template && applied.system.trim() === fields.system.trim()) {
        const identity = applied.template === baseline.template && applied.system.trim() === baseline.system.trim();
        const steps = identity && technique.id === 'plain' ? [] : [{ kind: 'technique', techniqueId: technique.id }];
        return { mode: 'derived', label, steps, overrides };
      }
    }
    if (fields.template === baseline.template && fields.system.trim() === baseline.system.trim()) {
      return { mode: 'derived', label, steps: [], overrides };
    }
  }
  return { mode: 'detached', label, modelId: fields.modelId, inference: fields.inference, system: fields.system, history: fields.history, template: fields.template, steps: [] };
}

/**
 * Upgrades a stored experiment configuration ({variables, arms}); anything that is not one is
 * returned as it is, for the schema to reject with its own message.
 */
export function upgradeConfig(config: unknown, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): unknown {
  if (!isObj(config) || !Array.isArray(config.arms) || !config.arms.some(isLegacyArm)) return config;
  const first: unknown = config.arms[0];
  const baseline = isObj(first) && (!('mode' in first) || first.mode === 'baseline') ? baseFields(first) : null;
  return { ...config, arms: config.arms.map((arm, index) => upgradeArm(arm, index, baseline, techniques)) };
}
