/**
 * Friendly names for what a person reads in reports (issue 13): score labels with their scale and
 * better direction, technique names, short model names with the full id kept alongside. Arm
 * numbering everywhere: "arm 1" is the baseline, mitigated arms follow in column order.
 */
import { isJudgeId, JUDGES } from './scores/judges';
import { scorerInfo } from './scores/scorers';
import { BUILT_IN_TECHNIQUES } from './techniques';

const SCALE: Record<string, string> = { 'pass-fail': 'pass/fail', 'rating-1-5': '1–5', probability: '0–1', preference: 'preference', fraction: '0–100 %' };

/** "Bias and stereotypes (1–5, lower is better)"; "Relevancy (pass/fail)". */
export function scoreLabel(id: string): string {
  const info = scorerInfo(id);
  const parts: string[] = [];
  if (isJudgeId(id)) parts.push(SCALE[JUDGES[id].scale] ?? JUDGES[id].scale);
  if (info.higherIsBetter !== null && !(isJudgeId(id) && JUDGES[id].scale === 'pass-fail')) parts.push(info.higherIsBetter ? 'higher is better' : 'lower is better');
  return parts.length ? `${info.label} (${parts.join(', ')})` : info.label;
}

const TECHNIQUES = new Map(BUILT_IN_TECHNIQUES.map((t) => [t.id, t.name]));
/** A technique's name ("Bias guard"), or its id made readable for one of the user's own. */
export function techniqueLabel(id: string, own?: ReadonlyMap<string, string>): string {
  return own?.get(id) ?? TECHNIQUES.get(id) ?? id.replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** "claude-3-haiku" from "anthropic.claude-3-haiku-20240307-v1:0"; the full id goes in a title or a column of its own. */
export function shortModelName(modelId: string): string {
  const last = modelId.split('/').at(-1) ?? modelId;
  const withoutRegion = last.replace(/^(us|eu|apac|global)\./, '');
  const withoutProvider = withoutRegion.includes('.') ? withoutRegion.slice(withoutRegion.indexOf('.') + 1) : withoutRegion;
  return withoutProvider.replace(/-\d{8}/, '').replace(/-v\d+(:\d+)?$/, '').replace(/:\d+$/, '');
}

/** "Arm 1 (baseline)", "Arm 2: Bias guard". */
export function armName(index: number, label: string): string {
  return index === 0 ? `Arm 1 (baseline): ${label}` : `Arm ${index + 1}: ${label}`;
}
