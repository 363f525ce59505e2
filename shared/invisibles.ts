/**
 * Characters that change how text displays without being seen: bidirectional overrides and
 * isolates (text that reads reversed, "Trojan Source") and zero-width characters. Model output
 * (and anything else untrusted) shows them visibly, as code editors do: each becomes a small
 * marked label such as `RLO` with its name and code point in a tooltip.
 *
 * Pure string helpers (no DOM): the renderer uses `splitInvisibles` to build nodes, exports may
 * use `describeInvisible` / `revealInvisiblesAsText`.
 */

export interface InvisibleChar {
  /** Short label shown in place of the character. */
  label: string;
  name: string;
}

export const INVISIBLE_CHARS: Readonly<Record<string, InvisibleChar>> = {
  '\u061C': { label: 'ALM', name: 'Arabic letter mark' },
  '\u200B': { label: 'ZWSP', name: 'Zero-width space' },
  '\u200C': { label: 'ZWNJ', name: 'Zero-width non-joiner' },
  '\u200D': { label: 'ZWJ', name: 'Zero-width joiner' },
  '\u200E': { label: 'LRM', name: 'Left-to-right mark' },
  '\u200F': { label: 'RLM', name: 'Right-to-left mark' },
  '\u202A': { label: 'LRE', name: 'Left-to-right embedding' },
  '\u202B': { label: 'RLE', name: 'Right-to-left embedding' },
  '\u202C': { label: 'PDF', name: 'Pop directional formatting' },
  '\u202D': { label: 'LRO', name: 'Left-to-right override' },
  '\u202E': { label: 'RLO', name: 'Right-to-left override' },
  '\u2060': { label: 'WJ', name: 'Word joiner' },
  '\u2066': { label: 'LRI', name: 'Left-to-right isolate' },
  '\u2067': { label: 'RLI', name: 'Right-to-left isolate' },
  '\u2068': { label: 'FSI', name: 'First strong isolate' },
  '\u2069': { label: 'PDI', name: 'Pop directional isolate' },
  '\uFEFF': { label: 'BOM', name: 'Zero-width no-break space' },
};

/** Matches any one of INVISIBLE_CHARS (global: reset lastIndex or use the helpers). */
export const INVISIBLE_RE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

export function hasInvisibles(text: string): boolean {
  INVISIBLE_RE.lastIndex = 0;
  const found = INVISIBLE_RE.test(text);
  INVISIBLE_RE.lastIndex = 0;
  return found;
}

export function codePointOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** "Right-to-left override (U+202E)" */
export function describeInvisible(char: string): string {
  const known = INVISIBLE_CHARS[char];
  return `${known?.name ?? 'Invisible character'} (${codePointOf(char)})`;
}

export type TextPiece = { text: string } | { invisible: string; label: string; title: string };

/** Splits text into plain runs and invisible characters (in order; concatenation = input). */
export function splitInvisibles(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  INVISIBLE_RE.lastIndex = 0;
  for (let match = INVISIBLE_RE.exec(text); match; match = INVISIBLE_RE.exec(text)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index) });
    const char = match[0];
    pieces.push({ invisible: char, label: INVISIBLE_CHARS[char]?.label ?? codePointOf(char), title: describeInvisible(char) });
    last = match.index + char.length;
  }
  INVISIBLE_RE.lastIndex = 0;
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}

/** Plain text with each invisible character written out, e.g. "abc[U+202E RLO]def". */
export function revealInvisiblesAsText(text: string): string {
  return text.replace(INVISIBLE_RE, (char) => `[${codePointOf(char)} ${INVISIBLE_CHARS[char]?.label ?? ''}]`.replace(' ]', ']'));
}
