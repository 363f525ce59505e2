/**
 * How Parallax counts tokens for chunking (shown in the Corpora screen): a token is a word
 * (letters and digits, with inner apostrophes), a single punctuation mark or symbol, or one
 * Chinese, Japanese or Korean character. This is close to, but not, the embedding model's own
 * tokenizer (Titan's is not public): English prose has about 1.3 model tokens per counted token,
 * so a 512-token chunk stays far under Titan's 8,192-token input limit.
 */
export const TOKEN_RULE =
  'Tokens are counted as words, numbers and punctuation marks (each Chinese, Japanese or Korean character is one token). This is an approximation of the embedding model’s tokenizer: English text has about 1.3 model tokens per counted token.';

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const TOKEN_SOURCE = `[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+(?:['’](?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+)*|[^\\s\\p{L}\\p{N}\\p{M}]`;

/** Character offsets of every token (start inclusive, end exclusive), in UTF-16 code units. */
export function tokenOffsets(text: string): { starts: Int32Array; ends: Int32Array; count: number } {
  const pattern = new RegExp(TOKEN_SOURCE, 'gu');
  let starts = new Int32Array(Math.max(16, Math.ceil(text.length / 4)));
  let ends = new Int32Array(starts.length);
  let count = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (count === starts.length) {
      const grownStarts = new Int32Array(starts.length * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownEnds = new Int32Array(ends.length * 2);
      grownEnds.set(ends);
      ends = grownEnds;
    }
    starts[count] = match.index;
    ends[count] = match.index + match[0].length;
    count += 1;
  }
  return { starts, ends, count };
}

export function countTokens(text: string): number {
  return tokenOffsets(text).count;
}

/** Words only (no punctuation), lower-cased: for keyword search and highlighting. */
export function words(text: string): string[] {
  const pattern = new RegExp(TOKEN_SOURCE, 'gu');
  const out: string[] = [];
  for (const match of text.matchAll(pattern)) {
    if (/[\p{L}\p{N}]/u.test(match[0])) out.push(match[0].toLowerCase());
  }
  return out;
}

/** English words too common to help find a passage. */
export const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves i'm it's what's how's there's can't don't doesn't`.split(/\s+/),
);

/** The question's search terms: its words without stop words, each once, in order. */
export function queryTerms(question: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of words(question)) {
    if (STOP_WORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
  }
  return out.slice(0, 32);
}
