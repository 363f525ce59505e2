/**
 * A question set from a file the user picks (the evaluation screen): JSON in the shape of
 * resources/qa/anycompany-bank.json. Problems name the question and the field, so they can be fixed.
 */
import { QaSet } from './qa';

export const MAX_QA_FILE_CHARS = 5_000_000;

export type QaSetImport = { ok: true; set: QaSet } | { ok: false; problems: string[] };

function where(path: readonly PropertyKey[]): string {
  if (path[0] === 'items' && typeof path[1] === 'number') {
    const field = path.slice(2).join('.');
    return `Question ${path[1] + 1}${field ? ` (${field})` : ''}`;
  }
  return path.length > 0 ? path.join('.') : 'The file';
}

function issueText(issue: { path: readonly PropertyKey[]; message: string }): string {
  return `${where(issue.path)}: ${issue.message}`;
}

export function parseQaSetFile(fileName: string, text: string): QaSetImport {
  if (text.length > MAX_QA_FILE_CHARS) return { ok: false, problems: [`“${fileName}” is larger than 5 MB of text; a question set is much smaller. Check that this is the right file.`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`“${fileName}” is not valid JSON (${error instanceof Error ? error.message : String(error)}). A question set is a JSON file with a name and a list of items.`] };
  }
  // A bare list of items is accepted too; the file's name then names the set.
  const named = Array.isArray(data) ? { id: fileName.replace(/\.[^.]+$/, '').slice(0, 80) || 'imported', name: fileName.replace(/\.[^.]+$/, '') || fileName, items: data } : data;
  const parsed = QaSet.safeParse(named);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.slice(0, 8).map(issueText) };
  const ids = new Set<string>();
  const duplicates = parsed.data.items.filter((item) => (ids.has(item.id) ? true : (ids.add(item.id), false))).map((item) => item.id);
  if (duplicates.length > 0) return { ok: false, problems: [`Each question needs its own id; these repeat: ${[...new Set(duplicates)].join(', ')}.`] };
  return { ok: true, set: parsed.data };
}
