/**
 * Semantic robustness, after FMEval's general_semantic_robustness.py and
 * semantic_perturbation_utils.py (themselves adopted from NL-Augmenter): seeded perturbations of
 * the input, the mean absolute change of a score, and the word error rate between the original
 * output and the outputs for perturbed inputs. Orchestrating the model calls happens elsewhere.
 */
import { isPythonSpace, pythonStrip, PY_WHITESPACE_CLASS } from './text';

const WHITESPACE_RUNS = new RegExp(`[${PY_WHITESPACE_CLASS}]{2,}`, 'g');

/**
 * jiwer's default WER tokenization: RemoveMultipleSpaces (runs of two or more whitespace
 * characters become one space), Strip, then split on the space character. A single newline or tab
 * therefore does not separate words ("a\nb" is one word), exactly as in jiwer.
 */
export function werWords(text: string): string[] {
  const cleaned = pythonStrip(text.replace(WHITESPACE_RUNS, ' '));
  return cleaned === '' ? [] : cleaned.split(' ');
}

export type PerturbationKind = 'butter-finger' | 'random-upper-case' | 'whitespace-add-remove';

export const PERTURBATION_KINDS: readonly PerturbationKind[] = ['butter-finger', 'random-upper-case', 'whitespace-add-remove'];

export interface PerturbOptions {
  /** Seed of the pseudo-random generator; the same seed always gives the same result. */
  seed: number;
  /** butter-finger: probability that a letter is replaced by a keyboard neighbour. Default 0.1. */
  perturbationProb?: number;
  /** random-upper-case: share of positions uppercased. Default 0.1. */
  corruptProportion?: number;
  /** whitespace-add-remove: probability that a whitespace character is removed. Default 0.1. */
  removeProb?: number;
  /** whitespace-add-remove: probability that a space is added after a non-space. Default 0.05. */
  addProb?: number;
}

export interface PerturbationsOptions extends Omit<PerturbOptions, 'seed'> {
  seed: number;
  /** How many perturbed versions. Default 5 (FMEval's `num_perturbations`). */
  count?: number;
}

/**
 * mulberry32: a small, fast 32-bit PRNG, good enough for perturbations (not for cryptography).
 * Deviation: FMEval draws from Python's global Mersenne Twister and NumPy, so the same seed does
 * not give the same strings as FMEval; the perturbations follow the same distributions.
 */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * FMEval's QWERTY approximation table (ButterFinger.QUERTY_KEY_APPROX), with each key's own letter
 * removed from its list. Deviation: FMEval draws the replacement from a list that includes the
 * letter itself (and fires when randint(0, 99) <= 10, i.e. with probability 0.11), so about one
 * "typo" in ten changes nothing; its effective rate of changed letters is ≈ 0.11 × 0.9 ≈ 0.1. We
 * fire with exactly `perturbationProb` and always change the letter, so the option means what it
 * says. Duplicates in FMEval's lists (e.g. "w" twice for "a") are kept, as they weight the choice.
 */
const QWERTY_NEIGHBOURS: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    q: 'qwasedzx', w: 'wqesadrfcx', e: 'ewrsfdqazxcvgt', r: 'retdgfwsxcvgt', t: 'tryfhgedcvbnju',
    y: 'ytugjhrfvbnji', u: 'uyihkjtgbnmlo', i: 'iuojlkyhnmlp', o: 'oipklujm', p: "plo['ik",
    a: 'aqszwxwdce', s: 'swxadrfv', d: 'decsfaqgbv', f: 'fdgrvwsxyhn', g: 'gtbfhedcyjn',
    h: 'hyngjfrvkim', j: 'jhknugtblom', k: 'kjlinyhn', l: 'lokmpujn',
    z: 'zaxsvde', x: 'xzcsdbvfrewq', c: 'cxvdfzswergb', v: 'vcfbgxdertyn', b: 'bvnghcftyun',
    n: 'nbmhjvgtuik', m: 'mnkjloik',
  }).map(([key, list]) => [key, [...list].filter((c) => c !== key)]),
);

function butterFinger(text: string, rng: () => number, probability: number): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const neighbours = QWERTY_NEIGHBOURS[lower];
    if (neighbours === undefined || rng() >= probability) {
      out += char;
      continue;
    }
    const replacement = neighbours[Math.floor(rng() * neighbours.length)]!;
    out += lower === char ? replacement : replacement.toUpperCase();
  }
  return out;
}

/**
 * Uppercases exactly floor(length × proportion) distinct positions chosen uniformly at random
 * (length in code points, like Python's `len`), as FMEval's `np.random.choice(..., replace=False)`.
 */
function randomUpperCase(text: string, rng: () => number, proportion: number): string {
  const chars = Array.from(text);
  const picks = Math.floor(chars.length * proportion);
  const positions = Array.from(chars.keys());
  // Partial Fisher–Yates: the first `picks` slots become a uniform sample without replacement.
  for (let i = 0; i < picks; i += 1) {
    const j = i + Math.floor(rng() * (positions.length - i));
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  for (let i = 0; i < picks; i += 1) {
    const at = positions[i]!;
    chars[at] = chars[at]!.toUpperCase();
  }
  return chars.join('');
}

/**
 * FMEval's WhitespaceAddRemove: one random number r per character; a whitespace character is
 * dropped when r < removeProb, and a space is appended after a non-whitespace character when
 * r < addProb. (FMEval's config docstring says "before", its code appends after; we follow the
 * code.)
 */
function whitespaceAddRemove(text: string, rng: () => number, removeProb: number, addProb: number): string {
  let out = '';
  for (const char of text) {
    const r = rng();
    if (isPythonSpace(char)) {
      if (r >= removeProb) out += char;
    } else {
      out += r < addProb ? `${char} ` : char;
    }
  }
  return out;
}

function apply(text: string, kind: PerturbationKind, rng: () => number, options: Omit<PerturbOptions, 'seed'>): string {
  switch (kind) {
    case 'butter-finger':
      return butterFinger(text, rng, options.perturbationProb ?? 0.1);
    case 'random-upper-case':
      return randomUpperCase(text, rng, options.corruptProportion ?? 0.1);
    case 'whitespace-add-remove':
      return whitespaceAddRemove(text, rng, options.removeProb ?? 0.1, options.addProb ?? 0.05);
    default: {
      const never: never = kind;
      throw new RangeError(`Unknown perturbation: ${String(never)}`);
    }
  }
}

/** One perturbed version of `text`, reproducible from `options.seed`. */
export function perturb(text: string, kind: PerturbationKind, options: PerturbOptions): string {
  return apply(text, kind, createRng(options.seed), options);
}

/**
 * `count` perturbed versions of `text` (default 5), drawn one after another from a single
 * generator seeded with `seed` (as FMEval draws its `num_perturbations` versions from one stream).
 */
export function perturbations(text: string, kind: PerturbationKind, options: PerturbationsOptions): string[] {
  const rng = createRng(options.seed);
  const count = options.count ?? 5;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(apply(text, kind, rng, options));
  return out;
}

/**
 * Mean absolute change of a score under perturbation: mean over i of |original − perturbed[i]|
 * (FMEval's `generate_mean_delta_score`). 0 when there are no perturbed scores (FMEval would
 * divide by zero).
 */
export function meanAbsoluteDelta(original: number, perturbed: readonly number[]): number {
  if (perturbed.length === 0) return 0;
  let sum = 0;
  for (const score of perturbed) sum += Math.abs(original - score);
  return sum / perturbed.length;
}

/**
 * Word error rate: word-level Levenshtein distance (substitutions + deletions + insertions)
 * divided by the number of reference words. Words are split as `jiwer.wer` (used by FMEval through
 * Hugging Face `evaluate`) splits them by default (see `werWords`): case-sensitive, punctuation
 * attached. Can exceed 1 when the hypothesis has many extra words.
 * Defined for an empty reference (where jiwer raises): 0 if the hypothesis is empty too, else 1.
 */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = werWords(reference);
  const hyp = werWords(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  // Levenshtein over words with one rolling row.
  let previous = new Int32Array(hyp.length + 1);
  let current = new Int32Array(hyp.length + 1);
  for (let j = 0; j <= hyp.length; j += 1) previous[j] = j;
  for (let i = 1; i <= ref.length; i += 1) {
    current[0] = i;
    const word = ref[i - 1];
    for (let j = 1; j <= hyp.length; j += 1) {
      const substitution = previous[j - 1]! + (word === hyp[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[hyp.length]! / ref.length;
}

export interface RobustnessSummary {
  /** Mean absolute change of the score (see `meanAbsoluteDelta`). */
  deltaMean: number;
  /** Mean word error rate of each perturbed output against the original output. */
  werMean: number;
  /** Number of perturbed outputs aggregated. */
  count: number;
}

/**
 * Aggregates the outputs of one original input and its perturbations: `scorer` scores an output
 * (e.g. `(o) => qaAccuracy(o, target).f1`); `deltaMean` is the mean absolute change of that score
 * and `werMean` the mean word error rate against the original output (FMEval pools jiwer's errors
 * over all pairs, which equals this mean because every pair shares the same reference). Both are 0
 * when there are no perturbed outputs.
 */
export function summarizeRobustness(
  outputs: { original: string; perturbed: readonly string[] },
  scorer: (output: string) => number,
): RobustnessSummary {
  const { original, perturbed } = outputs;
  const count = perturbed.length;
  if (count === 0) return { deltaMean: 0, werMean: 0, count };
  const deltaMean = meanAbsoluteDelta(scorer(original), perturbed.map(scorer));
  let wer = 0;
  for (const output of perturbed) wer += wordErrorRate(original, output);
  return { deltaMean, werMean: wer / count, count };
}
