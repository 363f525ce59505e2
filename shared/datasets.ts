/**
 * Datasets (issue 13): rows of values imported from CSV or JSONL, whose columns map to the
 * template variables of an experiment and, optionally, to a reference answer for the scores.
 *
 * Row numbering, everywhere a person reads it: "row 1" is the first data row (the line after a
 * CSV's header, the first line of a JSONL file); columns are numbered from 1 and named by their
 * header. Parsing lives in electron/services/batch/parse.ts (it needs a CSV parser); what is
 * checked before running lives here, so the renderer and main say the same thing.
 */
import { z } from 'zod';

export const DATASET_FORMATS = ['csv', 'jsonl'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const MAX_DATASET_ROWS = 20_000;
export const MAX_DATASET_COLUMNS = 100;
export const MAX_DATASET_CHARS = 50_000_000;

/** Which column fills each template variable, and which holds the reference answer. */
export const DatasetMapping = z.object({
  /** variable name → column name */
  variables: z.record(z.string().min(1).max(200), z.string().min(1).max(500)).default({}),
  reference: z.string().min(1).max(500).nullable().default(null),
});
export type DatasetMapping = z.output<typeof DatasetMapping>;

export interface DatasetSummary {
  id: string;
  name: string;
  format: DatasetFormat;
  columns: string[];
  rowCount: number;
  mapping: DatasetMapping;
  createdAt: number;
  updatedAt: number;
}

export interface DatasetInspection {
  name: string;
  format: DatasetFormat;
  columns: string[];
  rowCount: number;
  /** The first rows, as parsed (values in column order). */
  preview: string[][];
}

export interface RowIssue {
  /** 1-based data row; null for a problem of the whole mapping. */
  row: number | null;
  /** The column's header, when the problem is in one column. */
  column: string | null;
  message: string;
}

/**
 * A mapping suggested from the headers: a column named like a variable fills it (case and
 * separators ignored); a column named reference / expected / answer is the reference.
 */
export function suggestMapping(columns: readonly string[], variables: readonly string[]): DatasetMapping {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const mapping: DatasetMapping = { variables: {}, reference: null };
  for (const variable of variables) {
    const column = columns.find((c) => norm(c) === norm(variable));
    if (column) mapping.variables[variable] = column;
  }
  mapping.reference = columns.find((c) => ['reference', 'expected', 'answer', 'referenceanswer', 'expectedanswer'].includes(norm(c))) ?? null;
  return mapping;
}

/**
 * Everything wrong before a batch runs: variables without a column, columns that do not exist,
 * and per row the mapped values that are empty. At most `limit` row issues are listed (the count
 * of all of them is returned too).
 */
export function checkRows(
  columns: readonly string[],
  rows: Iterable<readonly string[]>,
  mapping: DatasetMapping,
  variables: readonly string[],
  limit = 200,
): { issues: RowIssue[]; total: number } {
  const issues: RowIssue[] = [];
  let total = 0;
  const push = (issue: RowIssue) => {
    total += 1;
    if (issues.length < limit) issues.push(issue);
  };
  const wanted: { variable: string; column: string; index: number }[] = [];
  for (const variable of variables) {
    const column = mapping.variables[variable];
    if (!column) {
      push({ row: null, column: null, message: `\${${variable}} has no column. Choose the column that fills it.` });
      continue;
    }
    const index = columns.indexOf(column);
    if (index < 0) push({ row: null, column, message: `\${${variable}} is mapped to "${column}", which this dataset does not have.` });
    else wanted.push({ variable, column, index });
  }
  if (mapping.reference !== null && !columns.includes(mapping.reference)) {
    push({ row: null, column: mapping.reference, message: `The reference answer is mapped to "${mapping.reference}", which this dataset does not have.` });
  }
  let row = 0;
  for (const values of rows) {
    row += 1;
    for (const { variable, column, index } of wanted) {
      if ((values[index] ?? '').trim() === '') push({ row, column, message: `Row ${row} has no value in "${column}" for \${${variable}}.` });
    }
  }
  return { issues, total };
}

/** The variables of one row, from the mapping. */
export function rowVariables(columns: readonly string[], values: readonly string[], mapping: DatasetMapping): { name: string; value: string }[] {
  return Object.entries(mapping.variables).map(([name, column]) => ({ name, value: values[columns.indexOf(column)] ?? '' }));
}

export function rowReference(columns: readonly string[], values: readonly string[], mapping: DatasetMapping): string | null {
  if (mapping.reference === null) return null;
  const index = columns.indexOf(mapping.reference);
  return index < 0 ? null : (values[index] ?? null);
}
