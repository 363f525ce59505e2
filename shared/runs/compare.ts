/**
 * Run against run (issue 13, item 4): what changed between two runs (or two batches), arm by arm.
 * Pure: the History comparison view derives everything it shows from these functions.
 *
 * - Arms are matched by position first for the baseline (arm 1 is always the baseline), then by
 *   label (a mitigated arm moved to another column still meets itself), then by position among
 *   what is left. An arm only one run has is listed as added or removed.
 * - The configuration diff names each change with a friendly label (Model, Temperature, Steps,
 *   System prompt, Prompt…); text fields (prompts) are diffed word by word by the renderer's diff
 *   worker, value fields are shown as "before → after".
 * - Score deltas: after − before for every score both runs have on the same arm (pairwise
 *   judgments excluded: they compare an arm with its own run's baseline), with its direction.
 */
import { armRole, type ArmSpec } from '../arms/model';
import { stepLabel } from '../arms/resolve';
import type { ArmRequest, ExperimentConfig, InferenceSettings } from '../domain';
import { shortModelName } from '../labels';
import { scorerInfo } from '../scores/scorers';
import type { Score } from '../scores/types';
import { formatStat } from '../stats';
import { BUILT_IN_TECHNIQUES, type Technique } from '../techniques';

/** What one side of the comparison holds of one arm: its configuration and what it sent and answered. */
export interface SideArm {
  label: string;
  modelId: string;
  /** The request the arm sent (a run), or resolved from the configuration (a batch). */
  request: ArmRequest;
  text?: string;
}

export interface Side {
  config: ExperimentConfig;
  arms: SideArm[];
}

export interface ArmPair {
  /** Column of the pair in the comparison (0 = baseline). */
  position: number;
  before: number | null;
  after: number | null;
  /** "Bias guard", or "Bias guard → Bias guard v2" when the label changed. */
  label: string;
  status: 'matched' | 'added' | 'removed';
}

export type FieldKind = 'text' | 'value';

export interface FieldChange {
  field: string;
  label: string;
  kind: FieldKind;
  before: string;
  after: string;
  /** Full model ids (the value shows the short name). */
  beforeTitle?: string;
  afterTitle?: string;
}

export interface ArmConfigDiff {
  pair: ArmPair;
  changes: FieldChange[];
}

export interface ConfigDiff {
  /** Variables whose value changed, or that only one run has. */
  variables: FieldChange[];
  arms: ArmConfigDiff[];
  changed: boolean;
}

const NOT_SET = 'not set';

/** Matches the arms of two sides: baseline with baseline, then by label, then by position. */
export function matchArms(before: readonly { label: string }[], after: readonly { label: string }[]): ArmPair[] {
  const pairs: { before: number | null; after: number | null }[] = [];
  const usedAfter = new Set<number>();
  const usedBefore = new Set<number>();
  if (before.length > 0 && after.length > 0) {
    pairs.push({ before: 0, after: 0 });
    usedBefore.add(0);
    usedAfter.add(0);
  }
  // same label, first come first served (labels may repeat)
  for (let i = 1; i < before.length; i += 1) {
    const j = after.findIndex((arm, index) => index > 0 && !usedAfter.has(index) && arm.label.trim() === before[i]!.label.trim());
    if (j < 0) continue;
    pairs.push({ before: i, after: j });
    usedBefore.add(i);
    usedAfter.add(j);
  }
  // the rest by position among what is left
  const restBefore = before.map((_, i) => i).filter((i) => !usedBefore.has(i));
  const restAfter = after.map((_, j) => j).filter((j) => !usedAfter.has(j));
  const common = Math.min(restBefore.length, restAfter.length);
  for (let k = 0; k < common; k += 1) pairs.push({ before: restBefore[k]!, after: restAfter[k]! });
  for (const i of restBefore.slice(common)) pairs.push({ before: i, after: null });
  for (const j of restAfter.slice(common)) pairs.push({ before: null, after: j });
  // columns in the order of the later run, removed arms after their old neighbours
  const order = (p: { before: number | null; after: number | null }) => (p.after !== null ? p.after : (p.before ?? 0) + 0.5);
  pairs.sort((a, b) => order(a) - order(b));
  return pairs.map((p, position) => {
    const a = p.before !== null ? before[p.before]!.label : null;
    const b = p.after !== null ? after[p.after]!.label : null;
    const label = a !== null && b !== null ? (a === b ? a : `${a} → ${b}`) : (b ?? a ?? '');
    return { position, before: p.before, after: p.after, label, status: a === null ? 'added' : b === null ? 'removed' : 'matched' };
  });
}

function stepsOf(arm: ArmSpec | undefined, techniques: readonly Technique[]): string {
  if (!arm || arm.mode === 'baseline' || arm.steps.length === 0) return 'none';
  return arm.steps.map((step) => stepLabel(step, techniques)).join(' → ');
}

function turnsOf(request: ArmRequest): string {
  return request.messages
    .slice(0, -1)
    .map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.text}`)
    .join('\n\n');
}

function promptOf(request: ArmRequest): string {
  return request.messages.at(-1)?.text ?? '';
}

function setting(value: unknown): string {
  if (value === undefined || value === null) return NOT_SET;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((v) => `“${String(v)}”`).join(', ');
  return String(value);
}

const INFERENCE_LABELS: [keyof InferenceSettings, string][] = [
  ['temperature', 'Temperature'],
  ['topP', 'Top P'],
  ['maxTokens', 'Max tokens'],
  ['stopSequences', 'Stop sequences'],
];

/** Every field of one arm as the diff compares it, in the order a person reads a request. */
function fieldsOf(arm: SideArm | undefined, spec: ArmSpec | undefined, techniques: readonly Technique[]): FieldChange[] {
  const request = arm?.request;
  const fields: FieldChange[] = [
    { field: 'label', label: 'Label', kind: 'value', before: arm?.label ?? '', after: '' },
    { field: 'role', label: 'Kind of arm', kind: 'value', before: spec ? armRole(spec) : '', after: '' },
    { field: 'model', label: 'Model', kind: 'value', before: arm ? shortModelName(arm.modelId) : '', after: '', beforeTitle: arm?.modelId ?? '' },
    ...INFERENCE_LABELS.map(([key, label]): FieldChange => ({ field: `inference.${key}`, label, kind: 'value', before: request ? setting(request.inference[key]) : '', after: '' })),
    { field: 'steps', label: 'Steps', kind: 'value', before: stepsOf(spec, techniques), after: '' },
    { field: 'system', label: 'System prompt', kind: 'text', before: request?.system ?? '', after: '' },
    { field: 'turns', label: 'Earlier turns', kind: 'text', before: request ? turnsOf(request) : '', after: '' },
    { field: 'prompt', label: 'Prompt', kind: 'text', before: request ? promptOf(request) : '', after: '' },
  ];
  if (request?.image) fields.push({ field: 'image', label: 'Image settings', kind: 'value', before: imageSettings(request.image), after: '' });
  return fields;
}

function imageSettings(image: NonNullable<ArmRequest['image']>): string {
  return Object.entries(image)
    .filter(([, v]) => v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** What changed in one arm (both sides present), or everything it holds (added or removed). */
export function diffArm(before: SideArm | undefined, beforeSpec: ArmSpec | undefined, after: SideArm | undefined, afterSpec: ArmSpec | undefined, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): FieldChange[] {
  const a = fieldsOf(before, beforeSpec, techniques);
  const b = new Map(fieldsOf(after, afterSpec, techniques).map((f) => [f.field, f]));
  const changes: FieldChange[] = [];
  for (const field of a) {
    const other = b.get(field.field);
    b.delete(field.field);
    const next = other?.before ?? '';
    if (field.before === next && (field.beforeTitle ?? '') === (other?.beforeTitle ?? '')) continue;
    if (field.field === 'label' && before && after) continue; // the pair's own label shows a rename
    changes.push({ ...field, after: next, ...(other?.beforeTitle !== undefined ? { afterTitle: other.beforeTitle } : {}) });
  }
  for (const field of b.values()) if (field.before !== '') changes.push({ ...field, before: '', after: field.before, ...(field.beforeTitle !== undefined ? { afterTitle: field.beforeTitle, beforeTitle: '' } : {}) });
  return changes;
}

function diffVariables(before: ExperimentConfig, after: ExperimentConfig): FieldChange[] {
  const a = new Map(before.variables.map((v) => [v.name, v.value]));
  const b = new Map(after.variables.map((v) => [v.name, v.value]));
  const names = [...new Set([...a.keys(), ...b.keys()])];
  return names
    .filter((name) => a.get(name) !== b.get(name))
    .map((name) => ({ field: `variable.${name}`, label: `\${${name}}`, kind: 'value' as const, before: a.get(name) ?? NOT_SET, after: b.get(name) ?? NOT_SET }));
}

/** The configuration diff of two runs (or batches): variables, then each matched arm's changes. */
export function diffConfigs(before: Side, after: Side, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): ConfigDiff {
  const pairs = matchArms(before.arms, after.arms);
  const arms = pairs.map((pair) => ({
    pair,
    changes: diffArm(
      pair.before !== null ? before.arms[pair.before] : undefined,
      pair.before !== null ? before.config.arms[pair.before] : undefined,
      pair.after !== null ? after.arms[pair.after] : undefined,
      pair.after !== null ? after.config.arms[pair.after] : undefined,
      techniques,
    ),
  }));
  const variables = diffVariables(before.config, after.config);
  return { variables, arms, changed: variables.length > 0 || arms.some((a) => a.changes.length > 0 || a.pair.status !== 'matched' || a.pair.label.includes(' → ')) };
}

/** A run as one side of the comparison. */
export function sideOfRun(run: { config: ExperimentConfig; arms: readonly { label: string; modelId: string; request: ArmRequest; text: string }[] }): Side {
  return { config: run.config, arms: run.arms.map((arm) => ({ label: arm.label, modelId: arm.modelId, request: arm.request, text: arm.text })) };
}

// ---------- score deltas ----------

export interface ScoreDelta {
  scorer: string;
  label: string;
  before: number | null;
  after: number | null;
  beforeText: string;
  afterText: string;
  /** after − before; null when either is missing. */
  delta: number | null;
  deltaText: string;
  /** 'better' / 'worse' by the scorer's direction; 'changed' when it has none; 'same' when equal. */
  direction: 'better' | 'worse' | 'changed' | 'same' | null;
}

export interface ArmScoreDeltas {
  pair: ArmPair;
  deltas: ScoreDelta[];
}

function signed(value: number): string {
  const text = formatStat(value);
  return text === '0' ? '0' : value > 0 ? `+${text}` : text;
}

/** One arm's own scores (no pairwise), the newest per scorer. */
function armScores(scores: readonly Score[], armIndex: number | null): Map<string, Score> {
  const byScorer = new Map<string, Score>();
  if (armIndex === null) return byScorer;
  for (const score of scores) {
    if (score.armIndex !== armIndex || score.otherArmIndex !== null) continue;
    const seen = byScorer.get(score.scorer);
    if (!seen || score.createdAt >= seen.createdAt) byScorer.set(score.scorer, score);
  }
  return byScorer;
}

/** Score deltas per matched arm: every score either run has on that arm, after − before. */
export function scoreDeltas(pairs: readonly ArmPair[], before: readonly Score[], after: readonly Score[]): ArmScoreDeltas[] {
  return pairs.map((pair) => {
    const a = armScores(before, pair.before);
    const b = armScores(after, pair.after);
    const scorers = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => scorerInfo(x).label.localeCompare(scorerInfo(y).label));
    const deltas = scorers.map((scorer): ScoreDelta => {
      const info = scorerInfo(scorer);
      const x = a.get(scorer);
      const y = b.get(scorer);
      const bv = x?.value ?? null;
      const av = y?.value ?? null;
      const delta = bv !== null && av !== null ? av - bv : null;
      let direction: ScoreDelta['direction'] = null;
      if (delta !== null) {
        if (Math.abs(delta) < 1e-9) direction = 'same';
        else if (info.higherIsBetter === null) direction = 'changed';
        else direction = delta > 0 === info.higherIsBetter ? 'better' : 'worse';
      }
      const text = (score: Score | undefined) => (score === undefined ? '—' : score.value === null ? 'failed' : info.format(score.value, score.details));
      return { scorer, label: info.label, before: bv, after: av, beforeText: text(x), afterText: text(y), delta, deltaText: delta === null ? '—' : signed(delta), direction };
    });
    return { pair, deltas };
  });
}
