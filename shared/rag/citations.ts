/**
 * Citations in a grounded answer (issue 11): the `[n]` markers the retrieve step asks for,
 * found in the answer's text so the view can link each to the retrieved source n. Pure text in,
 * segments out: the view builds its own elements, nothing from the answer is ever parsed as HTML.
 */
export type CitationSegment = { text: string } | { text: string; cite: number; known: boolean };

/** `[1]`, `[2][3]` and `[1, 3]`; at most three digits, so years and prices in brackets are left alone. */
const CITATION = /\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

/** Splits text into plain runs and citations; `known` is false for a number past the sources given. */
export function splitCitations(text: string, sourceCount: number): CitationSegment[] {
  const segments: CitationSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    const numbers = match[1]!.split(/\s*[,;]\s*/).map(Number);
    if (numbers.some((n) => n < 1)) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    numbers.forEach((n) => segments.push({ text: `[${n}]`, cite: n, known: n <= sourceCount }));
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/** True when the text holds at least one citation marker. */
export function hasCitation(text: string): boolean {
  return splitCitations(text, 0).some((segment) => 'cite' in segment);
}
