/**
 * Metrics without a model, as the score card runs them on one arm's output. Pure: uses the
 * shared/metrics functions and the METRICS registry (labels, direction). The robustness metrics
 * (robustnessDelta, wordErrorRate) need new generations for perturbed inputs, so they are not
 * offered here: ./robustness.ts runs them as one scorer that follows any of these metrics.
 */
import { countGenderedTerms, detectRefusal, factualKnowledge, findPii, METRICS, outputLength, qaAccuracy, rouge, bleu } from '../metrics';
import type { MetricId, MetricInfo } from '../metrics';

export const SCORABLE_METRIC_IDS = [
  'refusal',
  'words',
  'characters',
  'piiCount',
  'feminineTerms',
  'masculineTerms',
  'neutralTerms',
  'exactMatch',
  'quasiExactMatch',
  'f1',
  'precision',
  'recall',
  'exactInclusion',
  'quasiExactInclusion',
  'rouge1',
  'rouge2',
  'rougeL',
  'bleu',
] as const satisfies readonly MetricId[];
export type ScorableMetricId = (typeof SCORABLE_METRIC_IDS)[number];

/** Metrics that compare the output with the reference answer. */
export const REFERENCE_METRICS: ReadonlySet<ScorableMetricId> = new Set([
  'exactMatch',
  'quasiExactMatch',
  'f1',
  'precision',
  'recall',
  'exactInclusion',
  'quasiExactInclusion',
  'rouge1',
  'rouge2',
  'rougeL',
  'bleu',
]);

export function isScorableMetric(id: string): id is ScorableMetricId {
  return (SCORABLE_METRIC_IDS as readonly string[]).includes(id);
}

export function scorableMetricInfo(id: ScorableMetricId): MetricInfo {
  return METRICS.find((metric) => metric.id === id)!;
}

export interface MetricOutcome {
  value: number | null;
  passed: boolean | null;
  feedback: string;
  details: unknown;
  error: string | null;
}

const AND_DELIMITER = '<AND>';

function ok(value: number, feedback: string, details: unknown = null): MetricOutcome {
  return { value, passed: null, feedback, details, error: null };
}

/** One metric of one output; a missing reference is an error on that metric only. */
export function computeMetric(id: ScorableMetricId, output: string, inputs: { reference: string }): MetricOutcome {
  const reference = inputs.reference;
  if (REFERENCE_METRICS.has(id) && reference.trim() === '') {
    return { value: null, passed: null, feedback: '', details: null, error: `${scorableMetricInfo(id).label} needs a reference answer. Enter one in Score settings.` };
  }
  switch (id) {
    case 'refusal': {
      const result = detectRefusal(output);
      return ok(result.refused ? 1 : 0, result.refused ? `Reads like a refusal: “${result.matched ?? ''}”` : 'Not a refusal.', result);
    }
    case 'words':
    case 'characters': {
      const length = outputLength(output);
      return ok(length[id], `${length.words} words, ${length.characters} characters.`, length);
    }
    case 'piiCount': {
      const found = findPii(output);
      const types = [...new Set(found.map((match) => match.type))];
      return ok(found.length, found.length === 0 ? 'No PII found.' : `Found: ${types.join(', ')}.`, { types, count: found.length });
    }
    case 'feminineTerms':
    case 'masculineTerms':
    case 'neutralTerms': {
      const counts = countGenderedTerms(output);
      const key = id === 'feminineTerms' ? 'feminine' : id === 'masculineTerms' ? 'masculine' : 'neutral';
      const terms = Object.entries(counts.terms).map(([term, count]) => `${term} ×${count}`);
      return ok(counts[key], terms.length > 0 ? `Gendered terms: ${terms.join(', ')}.` : 'No gendered terms.', counts);
    }
    case 'exactMatch':
    case 'quasiExactMatch':
    case 'f1':
    case 'precision':
    case 'recall': {
      const scores = qaAccuracy(output, reference);
      return ok(scores[id], 'Against the reference answer (FMEval QA accuracy).', scores);
    }
    case 'exactInclusion':
    case 'quasiExactInclusion': {
      // FMEval's notation: "a<OR>b" (any target suffices) or "a<AND>b" (every target must appear).
      const every = reference.includes(AND_DELIMITER);
      const scores = factualKnowledge(output, reference, every ? { delimiter: AND_DELIMITER } : {});
      const feedback = every
        ? 'Every part of the reference (<AND>) contained in the output (FMEval factual knowledge).'
        : 'Reference contained in the output (FMEval factual knowledge; any of several joined by <OR>).';
      return ok(scores[id], feedback, scores);
    }
    case 'rouge1':
    case 'rouge2':
    case 'rougeL': {
      const scores = rouge(output, reference);
      return ok(scores[id], 'Against the reference answer.', scores);
    }
    case 'bleu':
      return ok(bleu(output, reference), 'Against the reference answer.');
  }
}
