/**
 * Semantic robustness as the score card runs it on one arm: seeded perturbations of the arm's
 * input (its last user message), the same request sent again with each, and how much a base score
 * and the wording of the output move (shared/metrics/robustness.ts: FMEval's general semantic
 * robustness). Pure; the model calls happen in the scores service. Unlike the metrics in
 * ./metrics.ts it costs `count` model calls per arm, so it never runs unless chosen.
 */
import { z } from 'zod';
import type { Turn } from '../domain';
import { PERTURBATION_KINDS, perturbations, summarizeRobustness, wordErrorRate, type PerturbationKind } from '../metrics';
import { computeMetric, REFERENCE_METRICS, SCORABLE_METRIC_IDS, scorableMetricInfo, type ScorableMetricId } from './metrics';

/** The scorer id its score rows carry. */
export const ROBUSTNESS_SCORER = 'robustness';

export const PERTURBATION_LABELS: Record<PerturbationKind, string> = {
  'butter-finger': 'butter-finger',
  'random-upper-case': 'random uppercase',
  'whitespace-add-remove': 'whitespace add/remove',
};

export const ROBUSTNESS_MAX_COUNT = 20;

export const RobustnessSettings = z.object({
  kind: z.enum(PERTURBATION_KINDS as [PerturbationKind, ...PerturbationKind[]]).default('butter-finger'),
  /** Perturbed inputs, hence model calls, per arm. FMEval's default is 5. */
  count: z.number().int().min(1).max(ROBUSTNESS_MAX_COUNT).default(5),
  /** Seeds the perturbations: the same seed and input always give the same perturbed inputs. */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** The score whose change is reported: any metric without a model. */
  baseMetric: z.enum(SCORABLE_METRIC_IDS).default('f1'),
  /**
   * What the reference metrics (f1, ROUGE, …) compare an output with: the reference answer of the
   * score settings, or the arm's original output (a self-consistency score; needs no reference).
   */
  compareWith: z.enum(['reference', 'original']).default('original'),
});
export type RobustnessSettings = z.output<typeof RobustnessSettings>;

export interface RobustnessDetails {
  kind: PerturbationKind;
  count: number;
  seed: number;
  baseMetric: ScorableMetricId;
  compareWith: 'reference' | 'original';
  /** Mean word error rate of the perturbed outputs against the original output. */
  werMean: number;
  /** The base score of the original output. */
  originalScore: number;
  /** The base score of each perturbed output, in order. */
  perScore: number[];
  /** The word error rate of each perturbed output, in order. */
  perWer: number[];
  originalInput: string;
  perturbedInputs: string[];
  /** null where that call failed (the score then carries an error). */
  perturbedOutputs: (string | null)[];
}

export interface PerturbedRequests {
  /** The text perturbed: the last user message. */
  original: string;
  inputs: string[];
  /** The conversation for each perturbed input: every other turn unchanged. */
  messages: Turn[][];
}

/** `count` seeded perturbations of the last user message, each in a copy of the conversation. */
export function perturbRequest(messages: readonly Turn[], settings: Pick<RobustnessSettings, 'kind' | 'count' | 'seed'>): PerturbedRequests {
  let at = -1;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]!.role === 'user') {
      at = i;
      break;
    }
  }
  if (at === -1) throw new RangeError('The request has no user message to perturb.');
  const original = messages[at]!.text;
  const inputs = perturbations(original, settings.kind, { seed: settings.seed, count: settings.count });
  return {
    original,
    inputs,
    messages: inputs.map((text) => messages.map((turn, index) => (index === at ? { role: turn.role, text } : { ...turn }))),
  };
}

/** Why the base score cannot be computed with these inputs, or null when it can. */
export function robustnessInputError(settings: RobustnessSettings, reference: string): string | null {
  if (settings.compareWith === 'reference' && REFERENCE_METRICS.has(settings.baseMetric) && reference.trim() === '') {
    return `Robustness of ${scorableMetricInfo(settings.baseMetric).label} needs a reference answer. Enter one in Score settings, or compare with the original output.`;
  }
  return null;
}

/**
 * The robustness score of one arm from its original output and the outputs for the perturbed
 * inputs: value = mean absolute change of the base score, plus the mean word error rate.
 */
export function scoreRobustness(
  settings: RobustnessSettings,
  outputs: { original: string; perturbed: readonly string[] },
  reference: string,
): { value: number; werMean: number; originalScore: number; perScore: number[]; perWer: number[] } {
  const against = settings.compareWith === 'original' ? outputs.original : reference;
  const score = (output: string): number => {
    const outcome = computeMetric(settings.baseMetric, output, { reference: against });
    if (outcome.error !== null || outcome.value === null) throw new Error(outcome.error ?? 'The base score has no value.');
    return outcome.value;
  };
  const summary = summarizeRobustness(outputs, score);
  return {
    value: summary.deltaMean,
    werMean: summary.werMean,
    originalScore: score(outputs.original),
    perScore: outputs.perturbed.map(score),
    perWer: outputs.perturbed.map((output) => wordErrorRate(outputs.original, output)),
  };
}

/** The short name of the base score the card prints after Δ ("f1", "ROUGE-L", "words"). */
export function baseMetricShortLabel(id: ScorableMetricId): string {
  return id === 'f1' ? 'f1' : id === 'words' || id === 'characters' || id === 'refusal' ? id : scorableMetricInfo(id).label;
}

export function isRobustnessDetails(details: unknown): details is RobustnessDetails {
  const d = details as Partial<RobustnessDetails> | null;
  return (
    typeof d === 'object' && d !== null && typeof d.kind === 'string' && typeof d.count === 'number' && typeof d.baseMetric === 'string' && typeof d.werMean === 'number'
  );
}

function fixed(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** "Δ f1 0.08 · WER 0.12 (5 × butter-finger)"; just the delta when the details are not at hand. */
export function formatRobustness(value: number, details?: unknown): string {
  if (!isRobustnessDetails(details)) return `Δ ${fixed(value)}`;
  const label = baseMetricShortLabel(details.baseMetric);
  return `Δ ${label} ${fixed(value)} · WER ${fixed(details.werMean)} (${details.count} × ${PERTURBATION_LABELS[details.kind] ?? details.kind})`;
}

/** Two robustness scores are comparable only when they measured the same thing the same way. */
export function robustnessBasis(details: unknown): string | null {
  if (!isRobustnessDetails(details)) return null;
  return `${details.baseMetric}|${details.compareWith}|${details.kind}|${details.count}|${details.seed}`;
}
