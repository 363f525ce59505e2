/**
 * QA accuracy and factual knowledge, as defined by AWS FMEval
 * (src/fmeval/eval_algorithms/qa_accuracy.py, factual_knowledge.py, util.py).
 */
import { normalizeText, pythonStrip, splitTargets, tokensAndWords } from './text';

export interface QaAccuracyOptions {
  /**
   * Separates several acceptable targets inside `target` ("UK<OR>England"); each score is the
   * maximum over the targets. Default `'<OR>'`. `null` means a single target. (Deviation: in
   * FMEval a `None` delimiter makes Python split the target on whitespace, i.e. every word becomes
   * a separate target — almost never what anyone wants, so we don't reproduce it.)
   */
  delimiter?: string | null;
}

export interface QaAccuracyScores {
  /** 1 if output and target are equal after stripping surrounding whitespace, else 0. */
  exactMatch: number;
  /** 1 if output and target are equal after normalization (see `normalizeText`), else 0. */
  quasiExactMatch: number;
  /** Harmonic mean of `precision` and `recall`. */
  f1: number;
  /** Share of the output's distinct normalized words that occur in the target. */
  precision: number;
  /** Share of the target's distinct normalized words that occur in the output. */
  recall: number;
}

interface Prepared {
  stripped: string;
  /** Tokens of the normalized text (joined with spaces they are FMEval's normalized string). */
  tokens: string[];
  /** Words for precision/recall/F1 (may contain duplicates; counted as a set). */
  words: string[];
}

function prepare(text: string): Prepared {
  const stripped = pythonStrip(text);
  return { stripped, ...tokensAndWords(stripped) };
}

/** Normalized strings are equal iff their token lists are (tokens are non-empty and space-free). */
function sameTokens(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * FMEval's QA accuracy scores for one output against one or more targets.
 *
 * Precision, recall and F1 are computed over SETS of normalized words (duplicates count once), as
 * FMEval does with NLTK's `precision`/`recall`/`f_measure`. NLTK returns `None` when the output
 * (precision) or the target (recall) has no words, and FMEval turns that into 0 — so an empty
 * output scores 0 on all three even against an empty target, while its exact and quasi-exact
 * match are 1. F1 is 0 whenever precision or recall is 0. Never NaN.
 */
export function qaAccuracy(modelOutput: string, target: string, options: QaAccuracyOptions = {}): QaAccuracyScores {
  const targets = splitTargets(target, options.delimiter === undefined ? '<OR>' : options.delimiter);
  const output = prepare(modelOutput);
  const outputSet = new Set(output.words);
  const scores: QaAccuracyScores = { exactMatch: 0, quasiExactMatch: 0, f1: 0, precision: 0, recall: 0 };
  for (const raw of targets) {
    const candidate = prepare(raw);
    if (output.stripped === candidate.stripped) scores.exactMatch = 1;
    if (sameTokens(output.tokens, candidate.tokens)) scores.quasiExactMatch = 1;
    // Distinct target words, and how many of them the output has.
    const targetSet = new Set<string>();
    let common = 0;
    for (const word of candidate.words) {
      const size = targetSet.size;
      targetSet.add(word);
      if (targetSet.size !== size && outputSet.has(word)) common += 1;
    }
    if (common === 0) continue; // also covers an empty output or target: NLTK's None → 0
    const precision = common / outputSet.size;
    const recall = common / targetSet.size;
    const f1 = (2 * precision * recall) / (precision + recall);
    // FMEval takes the maximum of each score separately, so precision and recall may come from
    // different targets.
    if (precision > scores.precision) scores.precision = precision;
    if (recall > scores.recall) scores.recall = recall;
    if (f1 > scores.f1) scores.f1 = f1;
  }
  return scores;
}

export interface FactualKnowledgeOptions {
  /**
   * Separates several targets inside `target`. With `'<OR>'` (the default) one contained target
   * suffices (maximum over targets); with `'<AND>'` every target must be contained (minimum).
   * `null` means a single target.
   */
  delimiter?: string | null;
  /**
   * FMEval's `logical_operator`. Defaults to `'AND'` when the delimiter is `'<AND>'` and to `'OR'`
   * otherwise. (FMEval configures the operator separately and only warns when it disagrees with
   * `<OR>`/`<AND>`; we infer it from the delimiter so the common case needs one option.)
   */
  operator?: 'OR' | 'AND';
}

export interface FactualKnowledgeScores {
  /** 1 if the lowercased target occurs in the lowercased output, else 0. */
  exactInclusion: number;
  /** 1 if the normalized target occurs in the normalized output, else 0. */
  quasiExactInclusion: number;
}

/**
 * FMEval's factual knowledge scores: is the target contained in the output?
 *
 * Containment is plain substring search, as in FMEval (`target in output`): "cat" is contained in
 * "concatenate", and an empty target (e.g. from a trailing delimiter, "Paris<OR>") is contained in
 * every output.
 */
export function factualKnowledge(
  modelOutput: string,
  target: string,
  options: FactualKnowledgeOptions = {},
): FactualKnowledgeScores {
  const delimiter = options.delimiter === undefined ? '<OR>' : options.delimiter;
  const operator = options.operator ?? (delimiter === '<AND>' ? 'AND' : 'OR');
  const targets = splitTargets(target, delimiter);
  const lowered = modelOutput.toLowerCase();
  const normalized = normalizeText(pythonStrip(modelOutput));
  const exact = targets.map((t) => (lowered.includes(t.toLowerCase()) ? 1 : 0));
  const quasi = targets.map((t) => (normalized.includes(normalizeText(pythonStrip(t))) ? 1 : 0));
  const combine = operator === 'AND' ? Math.min : Math.max;
  return { exactInclusion: combine(...exact), quasiExactInclusion: combine(...quasi) };
}
