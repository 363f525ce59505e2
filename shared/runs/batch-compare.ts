/**
 * Batch against batch (issue 13, item 4): what changed between two batches and what it did to
 * the scores. Pure: the Batches screen's comparison derives everything it shows from here and
 * from shared/runs/compare.ts (one configuration diff for runs and batches).
 *
 * - A batch's side is its experiment's configuration resolved arm by arm (shared/arms/resolve),
 *   with the variables a dataset column fills left as `${name}`: the prompt is the template every
 *   row filled in, not one row's values.
 * - The batch's own settings (dataset, repeats, scores chosen) are compared as values.
 * - Statistics: per matched arm (shared/runs/compare.ts matchArms: baseline with baseline, then
 *   by label, then by position), every score either batch has: the mean with its 95 % bootstrap
 *   interval (numeric) or the pass rate with its Wilson interval, the later minus the earlier,
 *   its direction by the score's better direction, and whether the two intervals overlap (a
 *   difference inside overlapping intervals may be chance).
 * - Rows line up across the two batches only when both ran the same dataset (or neither had
 *   one: repeats of a single comparison), with the same number of rows.
 */
import { resolveArmRequest, toArmRequest } from '../arms/resolve';
import type { ArmStats, ArmScoreStats, BatchScores, BatchStats } from '../batch';
import type { ExperimentConfig } from '../domain';
import { armName, scoreLabel } from '../labels';
import { scorerInfo } from '../scores/scorers';
import { formatStat, type Interval } from '../stats';
import { BUILT_IN_TECHNIQUES, type Technique } from '../techniques';
import type { ArmPair, FieldChange, Side } from './compare';

/** What of a batch the comparison needs (BatchDetail has all of it). */
export interface BatchSideInput {
  name: string;
  config: ExperimentConfig;
  /** Variables a dataset column fills (left as `${name}` in the prompts). */
  mappedVariables: readonly string[];
  datasetId: string | null;
  datasetName: string | null;
  rowCount: number;
  repeats: number;
  scores: BatchScores;
  createdAt: number;
}

/** A batch as one side of shared/runs/compare.ts diffConfigs. */
export function sideOfBatch(batch: Pick<BatchSideInput, 'config' | 'mappedVariables'>, techniques: readonly Technique[] = BUILT_IN_TECHNIQUES): Side {
  const mapped = new Set(batch.mappedVariables);
  const resolvable = { variables: batch.config.variables.filter((v) => !mapped.has(v.name)), arms: batch.config.arms };
  return {
    config: batch.config,
    arms: batch.config.arms.map((arm, index) => {
      const { request } = resolveArmRequest(resolvable, index, { techniques });
      return { label: arm.label, modelId: request.modelId, request: toArmRequest(request) };
    }),
  };
}

function datasetText(batch: BatchSideInput): string {
  return batch.datasetId === null ? 'none (the comparison’s own values)' : (batch.datasetName ?? 'a dataset no longer saved');
}

function scoresText(scores: BatchScores): string {
  const ids = [...scores.metrics, ...scores.judges];
  return ids.length === 0 ? 'none' : ids.map((id) => scorerInfo(id).label).join(', ');
}

/** The batch's own settings that changed: dataset, rows, repeats, scores chosen. */
export function diffBatchSettings(before: BatchSideInput, after: BatchSideInput): FieldChange[] {
  const fields: [string, string, (b: BatchSideInput) => string][] = [
    ['dataset', 'Dataset', datasetText],
    ['rows', 'Rows', (b) => b.rowCount.toLocaleString('en')],
    ['repeats', 'Repeats', (b) => String(b.repeats)],
    ['scores', 'Scores chosen', (b) => scoresText(b.scores)],
  ];
  const changes: FieldChange[] = [];
  for (const [field, label, text] of fields) {
    const a = text(before);
    const b = text(after);
    if (a !== b) changes.push({ field: `batch.${field}`, label, kind: 'value', before: a, after: b });
  }
  return changes;
}

/** The earlier batch first (by creation time), whichever was ticked first. */
export function orderBatches<T extends { createdAt: number }>(a: T, b: T): [T, T] {
  return a.createdAt <= b.createdAt ? [a, b] : [b, a];
}

// ---------- how arms were matched ----------

export interface ArmMatchNote {
  /** True when every arm met the arm of the same label at the same position. */
  aligned: boolean;
  sentence: string;
}

/** Says how the arms were paired, and which have no counterpart. */
export function armMatchNote(pairs: readonly ArmPair[], before: readonly string[], after: readonly string[]): ArmMatchNote {
  const parts: string[] = [];
  let aligned = before.length === after.length;
  for (const pair of pairs) {
    if (pair.status === 'added') {
      aligned = false;
      parts.push(`${armName(pair.after!, after[pair.after!] ?? '')} is only in the later batch`);
    } else if (pair.status === 'removed') {
      aligned = false;
      parts.push(`${armName(pair.before!, before[pair.before!] ?? '')} is only in the earlier batch`);
    } else {
      const a = before[pair.before!]!.trim();
      const b = after[pair.after!]!.trim();
      if (a !== b) {
        aligned = false;
        parts.push(pair.before === 0 ? `the baselines are compared although their labels differ (“${a}”, “${b}”)` : `“${a}” is compared with “${b}” by position: their labels differ`);
      } else if (pair.before !== pair.after) {
        aligned = false;
        parts.push(`“${a}” is compared by its label (column ${pair.before! + 1} before, ${pair.after! + 1} now)`);
      }
    }
  }
  if (aligned) return { aligned, sentence: `Arms matched by label and position: ${after.map((label, i) => armName(i, label)).join(', ')}.` };
  const text = parts.join('; ');
  return { aligned, sentence: `The arms do not match one for one: ${text}.` };
}

// ---------- statistics side by side ----------

export interface StatDelta {
  scorer: string;
  /** With its scale and better direction: "Bias and stereotypes (1–5, lower is better)". */
  label: string;
  kind: 'numeric' | 'pass';
  beforeText: string;
  afterText: string;
  beforeInterval: string;
  afterInterval: string;
  beforeN: number;
  afterN: number;
  /** later − earlier (a pass rate's in percentage points ×100); null when either is missing. */
  delta: number | null;
  deltaText: string;
  direction: 'better' | 'worse' | 'changed' | 'same' | null;
  /** null when an interval is missing. */
  overlap: boolean | null;
}

export interface ArmStatDeltas {
  pair: ArmPair;
  deltas: StatDelta[];
}

const MINUS = '\u2212';

function pctText(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)} %`;
}

function intervalText(kind: 'numeric' | 'pass', interval: Interval | null | undefined): string {
  if (!interval) return '—';
  return kind === 'pass' ? `${pctText(interval.low)} to ${pctText(interval.high)}` : `${formatStat(interval.low)} to ${formatStat(interval.high)}`;
}

function centre(score: ArmScoreStats | undefined): number | null {
  if (!score) return null;
  return score.kind === 'pass' ? (score.pass?.rate ?? null) : (score.numeric?.mean ?? null);
}

function intervalOf(score: ArmScoreStats | undefined): Interval | null {
  if (!score) return null;
  return (score.kind === 'pass' ? score.pass?.interval : score.numeric?.interval) ?? null;
}

function nOf(score: ArmScoreStats | undefined): number {
  if (!score) return 0;
  return (score.kind === 'pass' ? score.pass?.n : score.numeric?.n) ?? 0;
}

function valueText(score: ArmScoreStats | undefined): string {
  if (!score) return '—';
  const value = centre(score);
  if (value === null) return 'no values';
  return score.kind === 'pass' ? `${pctText(value)} pass` : formatStat(value);
}

function signedText(delta: number, kind: 'numeric' | 'pass'): string {
  if (kind === 'pass') {
    const points = Math.round(delta * 100);
    return points === 0 ? '0 points' : `${points > 0 ? '+' : MINUS}${Math.abs(points)} point${Math.abs(points) === 1 ? '' : 's'}`;
  }
  const text = formatStat(delta);
  return text === '0' ? '0' : delta > 0 ? `+${text}` : text;
}

/** Every score of one matched pair of arms, earlier against later. */
function armDeltas(before: ArmStats | undefined, after: ArmStats | undefined): StatDelta[] {
  const a = new Map((before?.scores ?? []).map((s) => [s.scorer, s]));
  const b = new Map((after?.scores ?? []).map((s) => [s.scorer, s]));
  const scorers = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => scorerInfo(x).label.localeCompare(scorerInfo(y).label));
  return scorers.map((scorer): StatDelta => {
    const x = a.get(scorer);
    const y = b.get(scorer);
    const kind = (y ?? x)!.kind;
    const bv = centre(x);
    const av = centre(y);
    const delta = bv !== null && av !== null ? av - bv : null;
    const higherIsBetter = (y ?? x)!.higherIsBetter;
    let direction: StatDelta['direction'] = null;
    if (delta !== null) {
      if (Math.abs(delta) < 1e-9) direction = 'same';
      else if (higherIsBetter === null) direction = 'changed';
      else direction = delta > 0 === higherIsBetter ? 'better' : 'worse';
    }
    const ix = intervalOf(x);
    const iy = intervalOf(y);
    return {
      scorer,
      label: scoreLabel(scorer),
      kind,
      beforeText: valueText(x),
      afterText: valueText(y),
      beforeInterval: intervalText(kind, ix),
      afterInterval: intervalText(kind, iy),
      beforeN: nOf(x),
      afterN: nOf(y),
      delta,
      deltaText: delta === null ? '—' : signedText(delta, kind),
      direction,
      overlap: ix && iy ? ix.low <= iy.high && iy.low <= ix.high : null,
    };
  });
}

/** Per matched arm: each score's statistics in both batches and the change. */
export function batchStatDeltas(pairs: readonly ArmPair[], before: BatchStats | null, after: BatchStats | null): ArmStatDeltas[] {
  const byArm = (stats: BatchStats | null, arm: number | null) => (arm === null ? undefined : stats?.arms.find((a) => a.arm === arm));
  return pairs.map((pair) => ({ pair, deltas: armDeltas(byArm(before, pair.before), byArm(after, pair.after)) }));
}

/** "the later batch is better", as a person reads a delta row. */
export function deltaWords(delta: Pick<StatDelta, 'direction' | 'overlap'>): string {
  const base = delta.direction === 'better' ? 'better' : delta.direction === 'worse' ? 'worse' : delta.direction === 'same' ? 'no change' : delta.direction === 'changed' ? 'changed' : '';
  if (!base || delta.direction === 'same') return base;
  return delta.overlap ? `${base}, intervals overlap (may be chance)` : `${base}, intervals apart`;
}

// ---------- rows across the two batches ----------

export interface RowAlignment {
  aligned: boolean;
  /** Why not, in words; or what lines up. */
  sentence: string;
}

export function rowsAlign(before: Pick<BatchSideInput, 'datasetId' | 'datasetName' | 'rowCount'>, after: Pick<BatchSideInput, 'datasetId' | 'datasetName' | 'rowCount'>): RowAlignment {
  if (before.datasetId === null && after.datasetId === null) return { aligned: true, sentence: 'Neither batch ran a dataset: the samples line up one for one.' };
  if (before.datasetId !== after.datasetId) {
    return { aligned: false, sentence: `The batches ran different datasets (${before.datasetName ?? 'none'}, ${after.datasetName ?? 'none'}), so their rows do not line up. Run both over the same dataset to compare answers row by row.` };
  }
  if (before.rowCount !== after.rowCount) return { aligned: false, sentence: 'The dataset changed between the batches (a different number of rows): rows do not line up.' };
  return { aligned: true, sentence: `Both batches ran ${after.datasetName ?? 'the same dataset'}: pick a row to compare an arm’s answers.` };
}
