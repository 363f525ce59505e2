/**
 * Folds text to what a reader sees before the injection heuristics match it: zero-width and
 * other invisible characters dropped, look-alike letters (Cyrillic "а", Greek "ο", fullwidth
 * "ｉ", mathematical "𝐢") mapped to their Latin twin, everything lower-cased. Keeps a map from
 * every folded character back to its UTF-16 offset in the original, so evidence is quoted from
 * the text the user wrote. ASCII text takes a fast path (no map, no copy).
 */

/** Invisible characters used to split words past a filter (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi controls). */
// eslint-disable-next-line no-misleading-character-class -- the combining grapheme joiner and Mongolian vowel separator are listed on purpose
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]/;

/** Look-alikes that NFKC does not fold (Cyrillic, Greek, Armenian, a few symbols), to Latin. */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', с: 'c', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', ѕ: 's', т: 't', у: 'y', х: 'x', ԁ: 'd', ԛ: 'q', ԝ: 'w', ɡ: 'g',
  А: 'a', В: 'b', С: 'c', Е: 'e', Н: 'h', І: 'i', Ј: 'j', К: 'k', М: 'm', О: 'o', Р: 'p', Ѕ: 's', Т: 't', У: 'y', Х: 'x', Ү: 'y', Ԁ: 'd', Ԍ: 'g', Ԛ: 'q', Ԝ: 'w',
  // Greek
  α: 'a', ο: 'o', ρ: 'p', ι: 'i', κ: 'k', ν: 'v', τ: 't', υ: 'u', χ: 'x', ε: 'e', γ: 'y', η: 'n',
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
  // Armenian and Latin extensions that read as plain letters
  օ: 'o', ս: 'u', ց: 'g', ɑ: 'a', ı: 'i', ȷ: 'j', ℓ: 'l',
  // Punctuation look-alikes that matter for role tags
  '：': ':', '꞉': ':', '˸': ':', '∶': ':',
};

export interface Folded {
  /** The folded text the heuristics match against. */
  text: string;
  /** Offset in the original of each folded UTF-16 unit (length text.length + 1); null = identity. */
  map: Int32Array | null;
  /** Invisible characters dropped. */
  invisible: number;
  /** Characters folded from a look-alike (not counting plain case changes). */
  confusables: number;
}

// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const NON_ASCII = /[^\x00-\x7F]/;

function foldChar(char: string): string {
  const mapped = CONFUSABLES[char];
  if (mapped !== undefined) return mapped;
  const nfkc = char.normalize('NFKC');
  if (nfkc !== char) {
    // NFKC folds fullwidth and mathematical letters; strip marks it leaves (e.g. "ï" stays "ï").
    return Array.from(nfkc, (c) => CONFUSABLES[c] ?? c).join('');
  }
  return char;
}

// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const NON_ASCII_RUNS = /[^\x00-\x7F]+/g;

export function foldText(original: string): Folded {
  if (!NON_ASCII.test(original)) return { text: original.toLowerCase(), map: null, invisible: 0, confusables: 0 };
  const parts: string[] = [];
  // at most 3 folded units per original unit (NFKC of a ligature), plus the end
  let map = new Int32Array(original.length * 2 + 1);
  let length = 0;
  let invisible = 0;
  let confusables = 0;
  let cursor = 0;
  const push = (piece: string, from: number) => {
    if (length + piece.length + 1 > map.length) {
      const bigger = new Int32Array((length + piece.length + 1) * 2);
      bigger.set(map);
      map = bigger;
    }
    for (let i = 0; i < piece.length; i += 1) map[length + i] = from;
    parts.push(piece);
    length += piece.length;
  };
  const pushAscii = (from: number, to: number) => {
    if (to <= from) return;
    const piece = original.slice(from, to).toLowerCase();
    if (length + piece.length + 1 > map.length) {
      const bigger = new Int32Array((length + piece.length + 1) * 2);
      bigger.set(map);
      map = bigger;
    }
    for (let i = 0; i < piece.length; i += 1) map[length + i] = from + i;
    parts.push(piece);
    length += piece.length;
  };
  NON_ASCII_RUNS.lastIndex = 0;
  for (const run of original.matchAll(NON_ASCII_RUNS)) {
    pushAscii(cursor, run.index);
    let offset = run.index;
    for (const char of run[0]) {
      if (INVISIBLE.test(char)) {
        invisible += 1;
      } else {
        const folded = foldChar(char);
        if (folded !== char) confusables += 1;
        push(folded.toLowerCase(), offset);
      }
      offset += char.length;
    }
    cursor = offset;
  }
  pushAscii(cursor, original.length);
  map[length] = original.length;
  return { text: parts.join(''), map: map.subarray(0, length + 1), invisible, confusables };
}

/** The original span [start, end) of a folded span. */
export function originalSpan(folded: Folded, start: number, end: number): { start: number; end: number } {
  if (!folded.map) return { start, end };
  const last = Math.max(start, end - 1);
  const from = folded.map[start] ?? 0;
  // end: one past the original character that produced the last folded unit
  const lastOrig = folded.map[last] ?? from;
  let to = folded.map[last + 1] ?? lastOrig + 1;
  if (to <= lastOrig) to = lastOrig + 1;
  return { start: from, end: end <= start ? from : to };
}
