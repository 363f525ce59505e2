/**
 * Parsing a dataset file (issue 13): CSV with papaparse (quoted fields, embedded newlines,
 * delimiter detection), or JSONL (one JSON object per line). A malformed file is refused as a
 * whole with the row and column named, so nothing half-read is saved. Row numbering: row 1 is the
 * first data row (shared/datasets.ts); the CSV header is "the header".
 */
import Papa from 'papaparse';
import { AppError } from '../../../shared/errors';
import { MAX_DATASET_CHARS, MAX_DATASET_COLUMNS, MAX_DATASET_ROWS, type DatasetFormat } from '../../../shared/datasets';

export interface ParsedDataset {
  columns: string[];
  rows: string[][];
}

function refuse(message: string): never {
  throw new AppError('bad_input', message);
}

/** 1-based line and character column of a character offset. */
function lineAndChar(text: string, offset: number): { line: number; char: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  }
  return { line, char: offset - start + 1 };
}

/** Which field (1-based) a character offset falls in, counting delimiters outside quotes on its record. */
function fieldAt(text: string, offset: number, delimiter: string, recordStart: number): number {
  let field = 1;
  let quoted = false;
  for (let i = recordStart; i < offset && i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) field += 1;
  }
  return field;
}

function columnName(columns: readonly string[], field: number): string {
  const name = columns[field - 1];
  return name ? `column ${field} ("${name}")` : `column ${field}`;
}

export function parseCsv(text: string): ParsedDataset {
  const input = text.replace(/^\uFEFF/, '');
  const result = Papa.parse<string[]>(input, { header: false, skipEmptyLines: 'greedy', dynamicTyping: false });
  const delimiter = result.meta.delimiter || ',';
  const [header, ...rows] = result.data;
  if (!header || header.length === 0) refuse('This CSV file is empty. It needs a header line naming the columns, then one line per row.');
  const columns = header.map((h) => h.trim());
  const quoteError = result.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const offset = quoteError.index ?? 0;
    // the record the error belongs to starts at the last line break outside quotes before it; approximate by the error's row
    const where = lineAndChar(input, offset);
    const recordIndex = quoteError.row ?? 0; // 0 = the header in array mode
    let recordStart = 0;
    for (let i = 0, r = 0, quoted = false; i < input.length && r < recordIndex; i += 1) {
      if (input[i] === '"') quoted = !quoted;
      else if (!quoted && input[i] === '\n') {
        r += 1;
        recordStart = i + 1;
      }
    }
    const field = fieldAt(input, Math.min(offset, input.length), delimiter, recordStart);
    const rowText = recordIndex === 0 ? 'the header' : `row ${recordIndex}`;
    refuse(
      `This CSV file is malformed at ${rowText}, ${columnName(columns, field)} (line ${where.line}): ${
        quoteError.code === 'MissingQuotes' ? 'a quoted value is never closed' : 'a quote inside a quoted value is not doubled'
      }. Put "" for a quote inside a quoted value and close every quoted value, then import it again.`,
    );
  }
  if (columns.length > MAX_DATASET_COLUMNS) refuse(`This CSV file has ${columns.length} columns; Parallax reads at most ${MAX_DATASET_COLUMNS}.`);
  columns.forEach((name, index) => {
    if (name === '') refuse(`Column ${index + 1} of the header has no name. Name every column in the first line.`);
    const first = columns.indexOf(name);
    if (first !== index) refuse(`Columns ${first + 1} and ${index + 1} are both named "${name}". Give every column its own name.`);
  });
  if (rows.length > MAX_DATASET_ROWS) refuse(`This file has ${rows.length.toLocaleString('en')} rows; a dataset holds at most ${MAX_DATASET_ROWS.toLocaleString('en')}. Split it.`);
  rows.forEach((values, index) => {
    if (values.length > columns.length) {
      refuse(`This CSV file is malformed at row ${index + 1}, column ${columns.length + 1}: the row has ${values.length} values but the header names ${columns.length} columns. Quote values that contain "${delimiter}".`);
    }
    if (values.length < columns.length) {
      refuse(`This CSV file is malformed at row ${index + 1}, ${columnName(columns, values.length + 1)}: the row has ${values.length} value${values.length === 1 ? '' : 's'} but the header names ${columns.length} columns.`);
    }
  });
  return { columns, rows };
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function parseJsonl(text: string): ParsedDataset {
  const columns: string[] = [];
  const objects: Record<string, unknown>[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let row = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    row += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
      refuse(`This JSONL file is malformed at row ${row} (line ${i + 1}${position ? `, character ${Number(position) + 1}` : ''}): it is not valid JSON. Each line must be one JSON object.`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(`Row ${row} (line ${i + 1}) of this JSONL file is not a JSON object. Each line must look like {"column": "value"}.`);
    const object = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(object)) {
      if (cellText(v) === null) refuse(`Row ${row} (line ${i + 1}), column "${key}" holds a list or an object; use text, a number or true/false.`);
      if (!columns.includes(key)) {
        columns.push(key);
        if (columns.length > MAX_DATASET_COLUMNS) refuse(`This JSONL file has more than ${MAX_DATASET_COLUMNS} different keys.`);
      }
    }
    objects.push(object);
    if (objects.length > MAX_DATASET_ROWS) refuse(`This file has more than ${MAX_DATASET_ROWS.toLocaleString('en')} rows; split it.`);
  }
  if (objects.length === 0) refuse('This JSONL file has no rows. Put one JSON object per line.');
  return { columns, rows: objects.map((o) => columns.map((c) => cellText(o[c]) ?? '')) };
}

export function parseDataset(text: string, format: DatasetFormat): ParsedDataset {
  if (text.length > MAX_DATASET_CHARS) refuse(`This file is larger than ${MAX_DATASET_CHARS / 1_000_000} MB of text; split it.`);
  return format === 'csv' ? parseCsv(text) : parseJsonl(text);
}

/** The format a file name says, csv by default. */
export function formatOf(name: string): DatasetFormat {
  return /\.(jsonl|ndjson)$/i.test(name) ? 'jsonl' : 'csv';
}
