/**
 * Text helpers shared by the metrics. They mirror Python's string semantics where FMEval relies
 * on them, so that our numbers match a researcher's run of FMEval on the same strings.
 */

/** Python's `string.punctuation`: ASCII punctuation only (curly quotes, dashes etc. are kept). */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * The characters Python's `str.split()` / `str.isspace()` treat as whitespace. JavaScript's `\s`
 * differs slightly (it includes U+FEFF and excludes U+001C–U+001F and U+0085).
 */
export const PY_WHITESPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`);
const PY_WHITESPACE_CHAR = new RegExp(`^[${PY_WHITESPACE_CLASS}]$`);

/** Python's `str.isspace()` for one character. */
export function isPythonSpace(char: string): boolean {
  return PY_WHITESPACE_CHAR.test(char);
}

/** Python's `str.strip()` with no argument. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpaceCode(text.charCodeAt(start))) start += 1;
  while (end > start && isPythonSpaceCode(text.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isPythonSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** Python's `str.split()` with no argument: split on whitespace runs, drop empty strings. */
export function pythonSplit(text: string): string[] {
  const parts = text.split(PY_WHITESPACE_RUN);
  // Only the first and last part can be empty (leading/trailing whitespace).
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * FMEval's `normalize_text_quac_protocol` (SQuAD/QuAC/HELM normalization): lowercase, remove ASCII
 * punctuation, split on single spaces (" "), drop empty tokens and the articles a/an/the, rejoin
 * with single spaces. Note that, as in FMEval, only the space character separates tokens here:
 * "the\ncat" is one token and is not recognised as an article.
 */
export function normalizeText(text: string): string {
  return normalizedTokens(text).join(' ');
}

/**
 * The tokens `normalizeText` joins with spaces: non-empty, not an article, free of spaces (but
 * possibly containing other whitespace such as newlines, as in FMEval).
 */
export function normalizedTokens(text: string): string[] {
  return scanTokens(text).tokens;
}

/** `normalizedTokens`, plus whether the text holds whitespace other than the space character. */
export function scanTokens(text: string): { tokens: string[]; otherWhitespace: boolean } {
  // One pass over the lowercased text instead of replace + split + filter (this is the hot path of
  // qaAccuracy): a token is sliced out directly when it has no punctuation or only trailing
  // punctuation ("word," — the common case), and cleaned with the regex only otherwise.
  const lower = text.toLowerCase();
  const n = lower.length;
  const out: string[] = [];
  let start = 0;
  let trailing = -1; // where a run of punctuation at the current end of the token began
  let inner = false; // punctuation followed by more of the token ("u.s.a", "it's")
  let otherWhitespace = false;
  for (let i = 0; i <= n; i += 1) {
    const code = i < n ? lower.charCodeAt(i) : 32;
    if (code === 32) {
      if (i > start) {
        let word: string;
        if (inner) word = lower.slice(start, i).replace(ASCII_PUNCTUATION, '');
        else word = lower.slice(start, trailing >= 0 ? trailing : i);
        // Compare directly rather than through a Set: cheaper than hashing every word here.
        if (word !== '' && !(word.length <= 3 && (word === 'the' || word === 'a' || word === 'an'))) out.push(word);
      }
      start = i + 1;
      trailing = -1;
      inner = false;
    } else if (isAsciiPunctuation(code)) {
      if (trailing < 0) trailing = i;
    } else {
      if (trailing >= 0) {
        inner = true;
        trailing = -1;
      }
      if (!otherWhitespace && (code < 32 || code >= 0x85) && isPythonSpaceCode(code)) otherWhitespace = true;
    }
  }
  return { tokens: out, otherWhitespace };
}

/** Python's `string.punctuation`: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
function isAsciiPunctuation(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}

/**
 * The tokens of `normalizeText(text)` and the words FMEval's F1 sees (`normalizeText(text).split()`,
 * a Python whitespace split): usually the same list; only when the text has whitespace other than
 * spaces (newlines, tabs…) are the tokens split further.
 */
export function tokensAndWords(text: string): { tokens: string[]; words: string[] } {
  const { tokens, otherWhitespace } = scanTokens(text);
  return { tokens, words: otherWhitespace ? pythonSplit(tokens.join(' ')) : tokens };
}

/** Splits a multi-target string the way Python's `str.split(delimiter)` does (empty parts kept). */
export function splitTargets(target: string, delimiter: string | null | undefined): string[] {
  if (delimiter === null || delimiter === undefined) return [target];
  if (delimiter === '') throw new RangeError('The target delimiter must not be empty (use null for a single target).');
  return target.split(delimiter);
}
