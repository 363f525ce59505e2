/**
 * Scores as CSV: one row per arm, RFC 4180 (CRLF, quotes doubled), with text cells that a
 * spreadsheet would run as a formula (= + - @, tab, CR) prefixed with a quote, and bidi or
 * zero-width characters written out visibly ("[U+202E RLO]").
 */
import { revealInvisiblesAsText } from '../../../shared/invisibles';
import type { Bundle, RunRecord } from './bundle';

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

const BASE_COLUMNS = [
  'run_id',
  'run_title',
  'started_at',
  'run_status',
  'lab',
  'tags',
  'starred',
  'arm_index',
  'arm_label',
  'baseline',
  'technique',
  'model_id',
  'arm_status',
  'stop_reason',
  'input_tokens',
  'output_tokens',
  'ttft_ms',
  'total_ms',
  'cost_usd',
  'output_chars',
] as const;

export type ScoreValues = Map<number, Record<string, number | string | null>>;

/** The names of the score columns these scores need. */
export function scoreColumnsOf(lookup: Map<string, ScoreValues>, into = new Set<string>()): Set<string> {
  for (const arms of lookup.values()) for (const values of arms.values()) for (const name of Object.keys(values)) into.add(name);
  return into;
}

export function csvHeader(scoreColumns: readonly string[]): string {
  return `${toCsvRow([...BASE_COLUMNS, ...scoreColumns.map((name) => `score:${name}`)])}\r\n`;
}

/** One line per arm of the run. */
export function csvRunRows(run: RunRecord, scores: ScoreValues | undefined, scoreColumns: readonly string[]): string {
  let out = '';
  for (const arm of run.arms) {
    const values = scores?.get(arm.index) ?? {};
    out += `${toCsvRow([
      run.id,
      run.title,
      new Date(run.startedAt).toISOString(),
      run.status,
      run.labId,
      run.tags.join('; '),
      run.starred,
      arm.index,
      arm.label,
      arm.index === 0,
      arm.technique,
      arm.modelId,
      arm.status,
      arm.stopReason,
      arm.metrics.inputTokens,
      arm.metrics.outputTokens,
      arm.metrics.ttftMs,
      arm.metrics.totalMs,
      arm.metrics.costUsd,
      arm.text.length,
      ...scoreColumns.map((name) => values[name] ?? null),
    ])}\r\n`;
  }
  return out;
}

export function renderCsv(bundle: Bundle, scores?: ScoreLookup): string {
  const lookup = scores?.(bundle.runs.map((r) => r.id)) ?? new Map<string, ScoreValues>();
  const scoreColumns = [...scoreColumnsOf(lookup)].sort();
  return csvHeader(scoreColumns) + bundle.runs.map((run) => csvRunRows(run, lookup.get(run.id), scoreColumns)).join('');
}
