/**
 * Metrics that need no model: pure, deterministic functions usable in main, preload and renderer.
 * Definitions follow AWS FMEval where it has them; deviations are documented where they occur.
 */
export { normalizeText } from './text';
export { qaAccuracy, factualKnowledge } from './qa';
export type { QaAccuracyOptions, QaAccuracyScores, FactualKnowledgeOptions, FactualKnowledgeScores } from './qa';
export { rouge, rougeTokenize, bleu, lcsLength } from './rouge';
export type { RougeOptions, RougeScores, BleuOptions } from './rouge';
export {
  PERTURBATION_KINDS,
  createRng,
  perturb,
  perturbations,
  meanAbsoluteDelta,
  wordErrorRate,
  werWords,
  summarizeRobustness,
} from './robustness';
export type { PerturbationKind, PerturbOptions, PerturbationsOptions, RobustnessSummary } from './robustness';
export { detectRefusal, outputLength, countGenderedTerms } from './heuristics';
export type { RefusalResult, OutputLength, GenderedTermCounts } from './heuristics';
export { findPii, luhnValid, ibanValid } from '../moderation/pii';
export type { PiiMatch, PiiType } from '../moderation/pii';
export { METRICS, metricInfo } from './registry';
export type { MetricId, MetricInfo } from './registry';
