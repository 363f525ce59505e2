/**
 * The diff between two arms' texts, with a size guard: words when the texts are short enough
 * for jsdiff's word diff (which grows with the square of the text), lines past that or when the
 * word diff runs out of time, and nothing but a note when even lines would take too long.
 * Pure (no DOM): runs in diff.worker.ts, off the renderer's main thread.
 */
import { diffLines, diffWords } from 'diff';

/** Combined length of both texts up to which the word diff is tried. */
export const WORD_DIFF_LIMIT = 60_000;
/** Combined length past which not even a line diff is tried. */
export const LINE_DIFF_LIMIT = 4_000_000;
const WORD_TIMEOUT_MS = 1500;
const LINE_TIMEOUT_MS = 3000;

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface DiffResult {
  mode: 'words' | 'lines' | 'none';
  parts: DiffPart[];
  added: number;
  removed: number;
  /** Why the diff is by line or absent (shown to the user). */
  note: string | null;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
function countLines(text: string): number {
  return text.split('\n').filter((line) => line.length > 0).length;
}

function result(mode: 'words' | 'lines', parts: DiffPart[], note: string | null): DiffResult {
  const count = mode === 'words' ? countWords : countLines;
  let added = 0;
  let removed = 0;
  const slim: DiffPart[] = parts.map((part) => {
    if (part.added) added += count(part.value);
    else if (part.removed) removed += count(part.value);
    return part.added ? { value: part.value, added: true } : part.removed ? { value: part.value, removed: true } : { value: part.value };
  });
  return { mode, parts: slim, added, removed, note };
}

export function computeDiff(from: string, to: string): DiffResult {
  const size = from.length + to.length;
  if (size <= WORD_DIFF_LIMIT) {
    const words = diffWords(from, to, { timeout: WORD_TIMEOUT_MS });
    if (words) return result('words', words, null);
  }
  if (size <= LINE_DIFF_LIMIT) {
    const lines = diffLines(from, to, { timeout: LINE_TIMEOUT_MS });
    if (lines) {
      const why = size > WORD_DIFF_LIMIT ? 'These answers are too long for a word diff' : 'A word diff of these answers would take too long';
      return result('lines', lines, `${why}, so they are compared line by line.`);
    }
  }
  return { mode: 'none', parts: [], added: 0, removed: 0, note: 'These answers are too long or too different to compare here. Copy them into a diff tool instead.' };
}
