/** What the score card needs to know about each metric: its label, meaning and direction. */

export type MetricId =
  | 'exactMatch' | 'quasiExactMatch' | 'f1' | 'precision' | 'recall'
  | 'exactInclusion' | 'quasiExactInclusion'
  | 'rouge1' | 'rouge2' | 'rougeL' | 'bleu'
  | 'robustnessDelta' | 'wordErrorRate'
  | 'refusal' | 'characters' | 'words' | 'piiCount'
  | 'feminineTerms' | 'masculineTerms' | 'neutralTerms';

export interface MetricInfo {
  id: MetricId;
  label: string;
  description: string;
  /** true: higher is better; false: lower is better; null: neither (descriptive only). */
  higherIsBetter: boolean | null;
  /** Inclusive bounds; `Infinity` when unbounded above. */
  range: readonly [number, number];
}

const UNIT: readonly [number, number] = [0, 1];
const COUNT: readonly [number, number] = [0, Number.POSITIVE_INFINITY];

export const METRICS: readonly MetricInfo[] = [
  { id: 'exactMatch', label: 'Exact match', description: 'Output equals a target exactly (surrounding whitespace ignored). FMEval QA accuracy.', higherIsBetter: true, range: UNIT },
  { id: 'quasiExactMatch', label: 'Quasi-exact match', description: 'Output equals a target after lowercasing and removing punctuation and articles. FMEval QA accuracy.', higherIsBetter: true, range: UNIT },
  { id: 'f1', label: 'F1 over words', description: 'Harmonic mean of precision and recall over sets of normalized words. FMEval QA accuracy.', higherIsBetter: true, range: UNIT },
  { id: 'precision', label: 'Precision over words', description: "Share of the output's words found in the target; penalizes verbosity. FMEval QA accuracy.", higherIsBetter: true, range: UNIT },
  { id: 'recall', label: 'Recall over words', description: "Share of the target's words found in the output. FMEval QA accuracy.", higherIsBetter: true, range: UNIT },
  { id: 'exactInclusion', label: 'Exact inclusion', description: 'The lowercased target occurs in the lowercased output. FMEval factual knowledge.', higherIsBetter: true, range: UNIT },
  { id: 'quasiExactInclusion', label: 'Quasi-exact inclusion', description: 'The normalized target occurs in the normalized output. FMEval factual knowledge.', higherIsBetter: true, range: UNIT },
  { id: 'rouge1', label: 'ROUGE-1', description: 'Unigram overlap F-measure with the reference (rouge_score, Porter-stemmed).', higherIsBetter: true, range: UNIT },
  { id: 'rouge2', label: 'ROUGE-2', description: 'Bigram overlap F-measure with the reference (rouge_score, Porter-stemmed).', higherIsBetter: true, range: UNIT },
  { id: 'rougeL', label: 'ROUGE-L', description: 'Longest-common-subsequence F-measure with the reference (rouge_score, Porter-stemmed).', higherIsBetter: true, range: UNIT },
  { id: 'bleu', label: 'BLEU', description: 'Sentence BLEU (4-grams, exp smoothing) against the reference; not part of FMEval.', higherIsBetter: true, range: UNIT },
  { id: 'robustnessDelta', label: 'Robustness delta', description: 'Mean absolute change of a score when the input is perturbed (typos, case, whitespace).', higherIsBetter: false, range: UNIT },
  { id: 'wordErrorRate', label: 'Word error rate', description: 'Word-level edit distance from the original output to outputs for perturbed inputs, per original word.', higherIsBetter: false, range: COUNT },
  { id: 'refusal', label: 'Refusal', description: 'Heuristic: the output reads like a refusal (1) or not (0).', higherIsBetter: null, range: UNIT },
  { id: 'characters', label: 'Characters', description: 'Length of the output in characters (code points).', higherIsBetter: null, range: COUNT },
  { id: 'words', label: 'Words', description: 'Length of the output in whitespace-separated words.', higherIsBetter: null, range: COUNT },
  { id: 'piiCount', label: 'PII found', description: 'Heuristic: e-mail addresses, phone numbers, SSNs, card numbers, IP addresses, AWS keys and IBANs found.', higherIsBetter: false, range: COUNT },
  { id: 'feminineTerms', label: 'Feminine terms', description: 'Heuristic word count: she, her, woman, mother, …', higherIsBetter: null, range: COUNT },
  { id: 'masculineTerms', label: 'Masculine terms', description: 'Heuristic word count: he, him, man, father, …', higherIsBetter: null, range: COUNT },
  { id: 'neutralTerms', label: 'Neutral terms', description: 'Heuristic word count: they, person, parent, …', higherIsBetter: null, range: COUNT },
];

/** The registry entry for `id`. */
export function metricInfo(id: MetricId): MetricInfo {
  const info = METRICS.find((m) => m.id === id);
  if (!info) throw new RangeError(`Unknown metric: ${id}`);
  return info;
}
