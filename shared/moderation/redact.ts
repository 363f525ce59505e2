/**
 * PII redaction: each found identifier is replaced by a typed placeholder ("[EMAIL]") or masked
 * with a character (letters and digits masked, separators kept: "****-****-****-1111" stays
 * readable as a card number). Returns the new text, the spans of every replacement in the NEW
 * text (UTF-16 offsets, for highlighting) and counts per type; never the removed values.
 */
import { findPii, PII_LABELS, type PiiMatch, type PiiType } from './pii';

export type RedactionStyle = 'placeholder' | 'mask';

export interface RedactOptions {
  /** Types to redact; default all. */
  types?: readonly PiiType[];
  style?: RedactionStyle;
  /** One character (default '*'); a mask keeps the identifier's length and separators. */
  maskChar?: string;
  /** Card numbers masked keep their last 4 digits (default true). */
  keepLast4?: boolean;
}

export interface RedactionSpan {
  type: PiiType;
  /** In the redacted text. */
  start: number;
  end: number;
}

export interface Redaction {
  text: string;
  spans: RedactionSpan[];
  counts: Partial<Record<PiiType, number>>;
  total: number;
}

function maskOf(match: PiiMatch, maskChar: string, keepLast4: boolean): string {
  const chars = Array.from(match.match);
  let keepFrom = chars.length;
  if (keepLast4 && match.type === 'credit-card') {
    let digits = 0;
    for (let i = chars.length - 1; i >= 0; i -= 1) {
      if (/\d/.test(chars[i]!)) digits += 1;
      if (digits === 4) {
        keepFrom = i;
        break;
      }
    }
  }
  return chars.map((char, i) => (i >= keepFrom || !/[\p{L}\p{N}]/u.test(char) ? char : maskChar)).join('');
}

/** Redacts the given matches (sorted, non-overlapping, as findPii returns them). */
export function redactMatches(text: string, matches: readonly PiiMatch[], options: RedactOptions = {}): Redaction {
  const style = options.style ?? 'placeholder';
  const maskChar = Array.from(options.maskChar ?? '*')[0] ?? '*';
  const keepLast4 = options.keepLast4 ?? true;
  const parts: string[] = [];
  const spans: RedactionSpan[] = [];
  const counts: Partial<Record<PiiType, number>> = {};
  let cursor = 0;
  let length = 0;
  for (const match of matches) {
    if (match.start < cursor) continue;
    const before = text.slice(cursor, match.start);
    parts.push(before);
    length += before.length;
    const replacement = style === 'mask' ? maskOf(match, maskChar, keepLast4) : PII_LABELS[match.type].placeholder;
    parts.push(replacement);
    spans.push({ type: match.type, start: length, end: length + replacement.length });
    length += replacement.length;
    counts[match.type] = (counts[match.type] ?? 0) + 1;
    cursor = match.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), spans, counts, total: spans.length };
}

export function redactPii(text: string, options: RedactOptions = {}): Redaction {
  return redactMatches(text, findPii(text, options.types), options);
}
