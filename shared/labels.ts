/**
 * Friendly names for what a person reads in History and in every report (issue 13): score labels
 * with their scale and better direction, score values as the score card prints them, technique
 * and lab names, short model names (the full id is kept alongside), step names and statuses.
 *
 * Arm numbering, one convention everywhere (README "Arm numbering"): the first arm is "Baseline";
 * the others are "Arm 2", "Arm 3"… in column order, followed by their label: "Arm 2 · Bias guard".
 * A reference to another arm (a pairwise score) uses the short form: "vs Baseline", "vs Arm 3".
 */
import models from '../resources/models.json';
import { techniqueKeyLabel } from './arms/resolve';
import { labTitle } from './labs';
import { isJudgeId, JUDGES } from './scores/judges';
import { scorerInfo } from './scores/scorers';
import { STEP_KINDS, type StepKind } from './steps/registry';
import type { StepStatus } from './steps/trace';
import { BASELINE_TECHNIQUE } from './techniques';

const SCALE: Record<string, string> = { 'pass-fail': 'pass/fail', 'rating-1-5': '1–5', probability: '0–1', preference: '−1 to +1', fraction: '0–100 %' };

/** "Bias and stereotypes (1–5, lower is better)"; "Relevancy (pass/fail)". */
export function scoreLabel(id: string): string {
  const info = scorerInfo(id);
  const parts: string[] = [];
  if (isJudgeId(id)) parts.push(SCALE[JUDGES[id].scale] ?? JUDGES[id].scale);
  if (info.higherIsBetter !== null && !(isJudgeId(id) && JUDGES[id].scale === 'pass-fail')) parts.push(info.higherIsBetter ? 'higher is better' : 'lower is better');
  return parts.length ? `${info.label} (${parts.join(', ')})` : info.label;
}

/** A score's name as a column or a line: the label with its scale, and for a pairwise score the arm it compares against. */
export function scoreName(scorer: string, otherArmIndex: number | null = null): string {
  if (otherArmIndex === null || otherArmIndex < 0) return scoreLabel(scorer);
  if (scorer === 'pairwise' && otherArmIndex === 0) return scoreLabel(scorer);
  return `${scoreLabel(scorer)} vs ${armRef(otherArmIndex)}`;
}

/** Pass/fail scorers: the value says pass (1) or fail (0). */
export function isPassFail(scorer: string): boolean {
  return isJudgeId(scorer) && JUDGES[scorer].scale === 'pass-fail';
}

/**
 * A score's value as the score card prints it: "Pass", "4/5", "Preferred", "0.02"; a verdict
 * without a number is "Pass" / "Fail"; an error is "Error".
 */
export function scoreValueText(scorer: string, value: number | null, passed: boolean | null, error?: string | null): string {
  if (error) return 'Error';
  if (value !== null && Number.isFinite(value)) return scorerInfo(scorer).format(round(value, 3));
  if (passed !== null) return passed ? 'Pass' : 'Fail';
  return '—';
}

/** A technique's name ("Bias guard", "PII check (local)"), or its id made readable for one of the user's own. */
export function techniqueLabel(id: string, own?: ReadonlyMap<string, string>): string {
  if (id === BASELINE_TECHNIQUE || id === '') return 'None (baseline)';
  const mine = own?.get(id);
  if (mine) return mine;
  const known = techniqueKeyLabel(id);
  if (known !== id) return known;
  return id.replace(/[-_]+/g, ' ').trim().replace(/^\w/, (c) => c.toUpperCase());
}

/** A guided lab's title ("Loaded assumptions in a question"), or its id made readable when the lab is not shipped. */
export function labLabel(id: string): string {
  return labTitle(id) ?? id.replace(/[-_]+/g, ' ').trim().replace(/^\w/, (c) => c.toUpperCase());
}

const MODEL_NAMES = new Map<string, string>((models as { models: { id: string; name: string }[] }).models.map((m) => [m.id, m.name]));

/**
 * "Claude 3 Haiku" for "anthropic.claude-3-haiku-20240307-v1:0" (the shipped model list's name),
 * "claude-x" for an id it does not know; region prefixes (us., eu.) are dropped. The full id goes
 * in a title or a column of its own.
 */
export function shortModelName(modelId: string): string {
  const last = modelId.split('/').at(-1) ?? modelId;
  const withoutRegion = last.replace(/^(us|eu|apac|global|us-gov|ca|jp|au)\./, '');
  const known = MODEL_NAMES.get(withoutRegion) ?? MODEL_NAMES.get(last);
  if (known) return known;
  const withoutProvider = withoutRegion.includes('.') ? withoutRegion.slice(withoutRegion.indexOf('.') + 1) : withoutRegion;
  return withoutProvider.replace(/-\d{8}/, '').replace(/-v\d+(:\d+)?$/, '').replace(/:\d+$/, '') || modelId;
}

/** The short form used to refer to an arm: "Baseline", "Arm 2". */
export function armRef(index: number): string {
  return index === 0 ? 'Baseline' : `Arm ${index + 1}`;
}

/** An arm's heading: "Baseline" (or "Baseline · Plain question"), "Arm 2 · Bias guard". */
export function armName(index: number, label: string): string {
  const name = label.trim();
  if (index === 0) return name === '' || name.toLowerCase() === 'baseline' ? 'Baseline' : `Baseline · ${name}`;
  return name === '' ? armRef(index) : `${armRef(index)} · ${name}`;
}

/** What an arm is: the baseline, a mitigated arm (baseline plus steps) or a variant (its own text). */
export function armRole(index: number, technique: string): 'Baseline' | 'Mitigated' | 'Variant' {
  if (index === 0) return 'Baseline';
  return technique === 'variant' ? 'Variant' : 'Mitigated';
}

export const STEP_STATUS_NAMES: Record<StepStatus, string> = {
  pending: 'Waiting',
  running: 'Running',
  waiting: 'Needs an answer',
  done: 'Done',
  skipped: 'Skipped',
  stopped: 'Stopped the arm',
  failed: 'Failed',
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
};

/** A step of the timeline as a person reads it: "Answer · Nova Lite", "Critique and revise: Toxic or insulting". */
export function stepName(step: { kind: string; label: string }): string {
  if (step.kind === 'generate') {
    const model = /\(([^()]+)\)\s*$/.exec(step.label)?.[1];
    const what = step.label.startsWith('Images') ? 'Images' : 'Answer';
    return model ? `${what} · ${shortModelName(model)}` : step.label || 'Answer';
  }
  if (step.label.trim()) return step.label;
  return STEP_KINDS[step.kind as StepKind]?.name ?? techniqueLabel(step.kind);
}

/** The kind of a step as a person reads it ("Technique", "Model call"). */
export function stepKindName(kind: string): string {
  if (kind === 'generate') return 'Model call';
  return STEP_KINDS[kind as StepKind]?.name ?? techniqueLabel(kind);
}

const STOP_REASONS: Record<string, string> = {
  end_turn: 'Finished',
  max_tokens: 'Hit max tokens',
  stop_sequence: 'Stop sequence',
  guardrail_intervened: 'Guardrail intervened',
  content_filtered: 'Content filtered',
  tool_use: 'Tool use',
  model_context_window_exceeded: 'Context window exceeded',
};

/** Why the model stopped writing ("Finished", "Hit max tokens"). */
export function stopReasonLabel(reason: string | null): string | null {
  if (reason === null || reason === '') return null;
  return STOP_REASONS[reason] ?? reason.replace(/_+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

const ARM_STATUS: Record<string, string> = { pending: 'Waiting', streaming: 'Streaming', completed: 'Done', cancelled: 'Stopped', failed: 'Failed', interrupted: 'Interrupted' };
const RUN_STATUS: Record<string, string> = { running: 'Running', completed: 'Completed', cancelled: 'Cancelled', failed: 'Failed', interrupted: 'Interrupted' };
export const armStatusLabel = (status: string): string => ARM_STATUS[status] ?? status;
export const runStatusLabel = (status: string): string => RUN_STATUS[status] ?? status;

/**
 * Rounding for numbers in reports and CSV (README "Numbers in exports"): money to 6 decimal
 * places (a millionth of a dollar), milliseconds and tokens to whole numbers, scores to 3 decimal
 * places. Never float noise such as 282.57006700000784.
 */
export function round(value: number, places: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** places;
  const rounded = Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}
export const roundCost = (usd: number): number => round(usd, 6);
export const roundMs = (ms: number): number => Math.round(ms);
export const roundScore = (value: number): number => round(value, 3);

/** "$0.000123", "$1.25": money as written in reports (at most 6 decimal places, trailing zeros off). */
export function costText(usd: number | null): string | null {
  if (usd === null || !Number.isFinite(usd)) return null;
  const r = roundCost(usd);
  if (r === 0) return usd === 0 ? '$0' : '<$0.000001';
  return `$${r.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** "850 ms", "1.4 s". */
export function msText(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "1,234 tokens" from input and output counts ("40 in / 12 out"). */
export function tokensText(input: number | null, output: number | null): string | null {
  if (input === null && output === null) return null;
  return `${input === null ? '—' : Math.round(input).toLocaleString('en-US')} in / ${output === null ? '—' : Math.round(output).toLocaleString('en-US')} out`;
}
