/** Marks the question's terms in a chunk (same word or same stem), for the retrieval viewer. */
import { stemmer } from 'stemmer';
import { queryTerms } from './tokens';

export interface Segment {
  text: string;
  hit: boolean;
}

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

export function highlightTerms(text: string, question: string): Segment[] {
  const stems = new Set(queryTerms(question).map((term) => stemmer(term)));
  if (stems.size === 0) return [{ text, hit: false }];
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    if (!stems.has(stemmer(word)) && !stems.has(word)) continue;
    const start = match.index;
    if (start > last) segments.push({ text: text.slice(last, start), hit: false });
    segments.push({ text: match[0], hit: true });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), hit: false });
  return segments;
}
