/**
 * Scores as CSV: one row per arm, RFC 4180 (CRLF, quotes doubled), with text cells that a
 * spreadsheet would run as a formula (= + - @, tab, CR) prefixed with a quote, and bidi or
 * zero-width characters written out visibly ("[U+202E RLO]").
 *
 * Columns carry friendly names (shared/labels.ts): "Baseline" / "Arm 2", technique and lab names,
 * the short model name beside the full id, scores by their label and scale. Numbers are rounded
 * (README "Numbers in exports"): tokens and milliseconds whole, money to 6 decimal places, scores
 * to 3; never float noise such as 282.57006700000784.
 */
import { revealInvisiblesAsText } from '../../../shared/invisibles';
import { armRef, armRole, armStatusLabel, labLabel, roundCost, roundMs, roundScore, runStatusLabel, shortModelName, stepName, stopReasonLabel, techniqueLabel } from '../../../shared/labels';
import type { Bundle, RunRecord } from './bundle';
import type { ReportLabels } from './markdown';

/** Scores by run id → arm index → score name → value. Issue 5 supplies these. */
export type ScoreLookup = (runIds: readonly string[]) => Map<string, Map<number, Record<string, number | string | null>>>;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = revealInvisiblesAsText(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvRow(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

/** The columns before the scores, named as a person reads them (ids kept in their own columns). */
const BASE_COLUMNS = [
  'Run id',
  'Run',
  'Started (UTC)',
  'Run status',
  'Lab',
  'Tags',
  'Starred',
  'Arm',
  'Arm label',
  'Role',
  'Technique',
  'Steps',
  'Model',
  'Model id',
  'Arm status',
  'Stop reason',
  'Stopped by',
  'Input tokens',
  'Output tokens',
  'Time to first token (ms)',
  'Total time (ms)',
  'Cost (USD)',
  'Output characters',
] as const;

export type ScoreValues = Map<number, Record<string, number | string | null>>;

/** The names of the score columns these scores need. */
export function scoreColumnsOf(lookup: Map<string, ScoreValues>, into = new Set<string>()): Set<string> {
  for (const arms of lookup.values()) for (const values of arms.values()) for (const name of Object.keys(values)) into.add(name);
  return into;
}

/** Score columns are named by the lookup (sqlScoreLookup: the score's label with its scale). */
export function csvHeader(scoreColumns: readonly string[]): string {
  return `${toCsvRow([...BASE_COLUMNS, ...scoreColumns])}\r\n`;
}

/** Numbers as README "Numbers in exports" says: whole tokens and milliseconds, money to 6 decimal places, scores to 3. */
const whole = (value: number | null) => (value === null ? null : Math.round(value));
const scoreCell = (value: number | string | null | undefined) => (typeof value === 'number' ? roundScore(value) : value);

/** One line per arm of the run. */
export function csvRunRows(run: RunRecord, scores: ScoreValues | undefined, scoreColumns: readonly string[], labels: ReportLabels = {}): string {
  let out = '';
  for (const arm of run.arms) {
    const values = scores?.get(arm.index) ?? {};
    const steps = [...arm.steps].sort((a, b) => a.index - b.index);
    out += `${toCsvRow([
      run.id,
      run.title,
      new Date(run.startedAt).toISOString().slice(0, 19).replace('T', ' '),
      runStatusLabel(run.status),
      run.labId === null ? null : labLabel(run.labId),
      run.tags.join('; '),
      run.starred ? 'Yes' : 'No',
      armRef(arm.index),
      arm.label,
      armRole(arm.index, arm.technique),
      arm.index === 0 ? null : techniqueLabel(arm.technique, labels.techniques),
      steps.length > 0 ? steps.map(stepName).join(' → ') : null,
      shortModelName(arm.modelId),
      arm.modelId,
      armStatusLabel(arm.status),
      stopReasonLabel(arm.stopReason),
      arm.stoppedBy ? `${arm.stoppedBy.label}: ${arm.stoppedBy.reason}` : null,
      whole(arm.metrics.inputTokens),
      whole(arm.metrics.outputTokens),
      arm.metrics.ttftMs === null ? null : roundMs(arm.metrics.ttftMs),
      arm.metrics.totalMs === null ? null : roundMs(arm.metrics.totalMs),
      arm.metrics.costUsd === null ? null : roundCost(arm.metrics.costUsd),
      arm.text.length,
      ...scoreColumns.map((name) => scoreCell(values[name] ?? null)),
    ])}\r\n`;
  }
  return out;
}

export function renderCsv(bundle: Bundle, scores?: ScoreLookup, labels: ReportLabels = {}): string {
  const lookup = scores?.(bundle.runs.map((r) => r.id)) ?? new Map<string, ScoreValues>();
  const scoreColumns = [...scoreColumnsOf(lookup)].sort((a, b) => a.localeCompare(b));
  return csvHeader(scoreColumns) + bundle.runs.map((run) => csvRunRows(run, lookup.get(run.id), scoreColumns, labels)).join('');
}
