/**
 * ROUGE-1/2/L as computed by Google's `rouge_score` package, which FMEval's summarization
 * accuracy uses (through Hugging Face `evaluate`), plus a documented sentence BLEU.
 */
import { stemmer } from 'stemmer';

const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

// Stemming dominates tokenization time, and real text repeats words a lot: memoize, bounded so
// that a long-running process does not grow without limit. Pure: the cache only affects speed.
const STEM_CACHE_LIMIT = 50_000;
const stemCache = new Map<string, string>();

function stem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = stemmer(token);
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemCache.set(token, stemmed);
  }
  return stemmed;
}

/**
 * `rouge_score`'s default tokenizer: lowercase, replace every run of characters other than
 * [a-z0-9] with a space, split, and (optionally) Porter-stem tokens longer than 3 characters.
 * Non-ASCII letters therefore vanish ("café" → ["caf"]), exactly as in `rouge_score`.
 *
 * Deviation: `rouge_score` stems with NLTK's `PorterStemmer` in its default NLTK_EXTENSIONS mode;
 * we use the `stemmer` package (Martin Porter's published algorithm). They agree on almost all
 * words but differ on a few irregular forms NLTK special-cases (e.g. "dying", "skies", "says"),
 * so stemmed ROUGE can differ slightly from FMEval's on texts containing such words.
 */
export function rougeTokenize(text: string, useStemmer = false): string[] {
  const tokens = text.toLowerCase().replace(NON_ALPHANUMERIC, ' ').split(' ');
  const out: string[] = [];
  for (const token of tokens) {
    if (token === '') continue;
    out.push(useStemmer && token.length > 3 ? stem(token) : token);
  }
  return out;
}

export interface RougeOptions {
  /**
   * Porter-stem tokens longer than 3 characters before matching. Default `true`, as FMEval's
   * summarization accuracy (`use_stemmer_for_rouge=True`); `rouge_score` itself defaults to false.
   */
  stem?: boolean;
}

export interface RougeScores {
  /** ROUGE-1 F-measure (unigram overlap). */
  rouge1: number;
  /** ROUGE-2 F-measure (bigram overlap). */
  rouge2: number;
  /** ROUGE-L F-measure (longest common subsequence; not the summary-level ROUGE-Lsum). */
  rougeL: number;
}

function fMeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Maps tokens of both texts to small integer ids, so n-grams and LCS work on numbers. */
function toIds(a: string[], b: string[]): [Int32Array, Int32Array, number] {
  const ids = new Map<string, number>();
  const map = (tokens: string[]): Int32Array => {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i]!;
      let id = ids.get(token);
      if (id === undefined) {
        id = ids.size;
        ids.set(token, id);
      }
      out[i] = id;
    }
    return out;
  };
  const first = map(a);
  const second = map(b);
  return [first, second, ids.size];
}

function ngramCounts(ids: Int32Array, n: number, vocabulary: number): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  // Numeric keys are exact while vocabulary^n fits in a double's 53 bits; beyond that, strings.
  const numeric = vocabulary ** n <= Number.MAX_SAFE_INTEGER;
  for (let i = 0; i + n <= ids.length; i += 1) {
    let key: number | string;
    if (numeric) {
      key = 0;
      for (let j = 0; j < n; j += 1) key = key * vocabulary + ids[i + j]!;
    } else {
      key = ids.subarray(i, i + n).join(',');
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Clipped n-gram matches: Σ min(count in prediction, count in target). */
function ngramOverlap(prediction: Int32Array, target: Int32Array, n: number, vocabulary: number): number {
  const targetCounts = ngramCounts(target, n, vocabulary);
  const predictionCounts = ngramCounts(prediction, n, vocabulary);
  let matches = 0;
  for (const [key, count] of predictionCounts) {
    const other = targetCounts.get(key);
    if (other !== undefined) matches += Math.min(count, other);
  }
  return matches;
}

function rougeN(prediction: Int32Array, target: Int32Array, n: number, vocabulary: number): number {
  const predictionTotal = Math.max(prediction.length - n + 1, 0);
  const targetTotal = Math.max(target.length - n + 1, 0);
  if (predictionTotal === 0 || targetTotal === 0) return 0;
  const matches = ngramOverlap(prediction, target, n, vocabulary);
  // rouge_score divides by max(total, 1); totals are positive here.
  return fMeasure(matches / predictionTotal, matches / targetTotal);
}

/** Length of the longest common subsequence, O(n·m) time, O(m) memory. */
export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const m = b.length;
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let i = 0; i < a.length; i += 1) {
    const ai = a[i];
    for (let j = 0; j < m; j += 1) {
      if (ai === b[j]) current[j + 1] = previous[j]! + 1;
      else current[j + 1] = Math.max(previous[j + 1]!, current[j]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[m]!;
}

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L F-measures of `modelOutput` against `reference`, as
 * `rouge_score.RougeScorer(['rouge1','rouge2','rougeL'], use_stemmer=stem)` computes them.
 * Each is 0 when either text has no tokens (rouge_score's convention; empty vs empty is 0 too).
 */
export function rouge(modelOutput: string, reference: string, options: RougeOptions = {}): RougeScores {
  const useStemmer = options.stem ?? true;
  const [prediction, target, vocabulary] = toIds(rougeTokenize(modelOutput, useStemmer), rougeTokenize(reference, useStemmer));
  if (prediction.length === 0 || target.length === 0) return { rouge1: 0, rouge2: 0, rougeL: 0 };
  const lcs = lcsLength(prediction, target);
  return {
    rouge1: rougeN(prediction, target, 1, vocabulary),
    rouge2: rougeN(prediction, target, 2, vocabulary),
    rougeL: fMeasure(lcs / prediction.length, lcs / target.length),
  };
}

export interface BleuOptions {
  /** Highest n-gram order. Default 4. */
  maxOrder?: number;
}

/**
 * Sentence BLEU of `modelOutput` against one `reference`, in [0, 1].
 *
 * FMEval has no BLEU; this follows sacreBLEU's `sentence_bleu` defaults: clipped n-gram
 * precisions up to order 4, geometric mean over the *effective* order (orders the output is long
 * enough to have), brevity penalty exp(1 − r/c) when the output is shorter, and "exp" smoothing
 * (NIST / Chen & Cherry method 3: the k-th order with no match counts 1/(2^k · total) instead of
 * 0). Deviation: tokens come from the ROUGE tokenizer (lowercased alphanumerics, no stemming), not
 * sacreBLEU's case-sensitive 13a tokenizer, so punctuation and case never count; scores are
 * therefore close to, but not identical with, `sacrebleu.sentence_bleu(...).score / 100`.
 */
export function bleu(modelOutput: string, reference: string, options: BleuOptions = {}): number {
  const maxOrder = options.maxOrder ?? 4;
  const [hypothesis, target, vocabulary] = toIds(rougeTokenize(modelOutput), rougeTokenize(reference));
  if (hypothesis.length === 0) return 0;
  let logSum = 0;
  let effectiveOrder = 0;
  let smoothing = 1;
  for (let n = 1; n <= maxOrder; n += 1) {
    const total = hypothesis.length - n + 1;
    if (total <= 0) break;
    effectiveOrder = n;
    const matches = ngramOverlap(hypothesis, target, n, vocabulary);
    let precision: number;
    if (matches === 0) {
      smoothing *= 2;
      precision = 1 / (smoothing * total);
    } else {
      precision = matches / total;
    }
    logSum += Math.log(precision);
  }
  const brevity = hypothesis.length < target.length ? Math.exp(1 - target.length / hypothesis.length) : 1;
  return brevity * Math.exp(logSum / effectiveOrder);
}
