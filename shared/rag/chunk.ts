/**
 * Splits a document into overlapping chunks of `size` tokens (tokens.ts says how they are
 * counted), each starting `size - overlap` tokens after the previous one. Chunks begin and end on
 * token boundaries, so multi-byte characters and surrogate pairs are never cut. A PDF's pages are
 * joined with a blank line; each chunk says the page its first and last tokens are on.
 */
import { tokenOffsets } from './tokens';

export const DEFAULT_CHUNK_TOKENS = 512;
export const DEFAULT_CHUNK_OVERLAP = 102;
export const MIN_CHUNK_TOKENS = 16;
export const MAX_CHUNK_TOKENS = 4_096;

export interface ChunkSettings {
  size: number;
  overlap: number;
}

export interface PageText {
  /** 1-based page number; null for files without pages (.txt, .md). */
  page: number | null;
  text: string;
}

export interface TextChunk {
  /** 0-based position in the document. */
  position: number;
  text: string;
  tokens: number;
  pageStart: number | null;
  pageEnd: number | null;
}

/** A clear message when the settings cannot chunk (the UI shows it next to the fields). */
export function chunkSettingsProblem({ size, overlap }: ChunkSettings): string | null {
  if (!Number.isInteger(size) || size < MIN_CHUNK_TOKENS || size > MAX_CHUNK_TOKENS) return `Chunk size must be a whole number from ${MIN_CHUNK_TOKENS} to ${MAX_CHUNK_TOKENS} tokens.`;
  if (!Number.isInteger(overlap) || overlap < 0) return 'Overlap must be a whole number of tokens, 0 or more.';
  if (overlap >= size) return 'Overlap must be smaller than the chunk size, or chunks would never move forward.';
  return null;
}

export function chunkPages(pages: readonly PageText[], settings: ChunkSettings): TextChunk[] {
  // The UI and the service check chunkSettingsProblem; here only what would break the loop.
  if (!Number.isInteger(settings.size) || settings.size < 1 || !Number.isInteger(settings.overlap) || settings.overlap < 0 || settings.overlap >= settings.size) {
    throw new RangeError(chunkSettingsProblem(settings) ?? 'Overlap must be smaller than the chunk size.');
  }
  const parts: string[] = [];
  const pageStarts: number[] = [];
  const pageNumbers: (number | null)[] = [];
  let offset = 0;
  for (const page of pages) {
    if (parts.length > 0) {
      parts.push('\n\n');
      offset += 2;
    }
    pageStarts.push(offset);
    pageNumbers.push(page.page);
    parts.push(page.text);
    offset += page.text.length;
  }
  const text = parts.join('');
  const { starts, ends, count } = tokenOffsets(text);
  const pageAt = (charOffset: number): number | null => {
    let lo = 0;
    let hi = pageStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pageStarts[mid]! <= charOffset) lo = mid;
      else hi = mid - 1;
    }
    return pageNumbers[lo] ?? null;
  };
  const chunks: TextChunk[] = [];
  const step = settings.size - settings.overlap;
  for (let first = 0; first < count; first += step) {
    const last = Math.min(first + settings.size, count) - 1;
    const start = starts[first]!;
    const end = ends[last]!;
    chunks.push({ position: chunks.length, text: text.slice(start, end), tokens: last - first + 1, pageStart: pageAt(start), pageEnd: pageAt(end - 1) });
    if (last === count - 1) break;
  }
  return chunks;
}

/** "p. 3", "pp. 3–4", or '' for a file without pages. */
export function pageLabel(pageStart: number | null, pageEnd: number | null): string {
  if (pageStart === null) return '';
  return pageEnd !== null && pageEnd !== pageStart ? `pp. ${pageStart}–${pageEnd}` : `p. ${pageStart}`;
}
