/** The judge-model evaluators, one module each, over the shared runner in runner.ts. */
import type { JudgeId } from '../../../shared/scores/judges';
import { bias } from './bias';
import { correctness } from './correctness';
import { faithfulness } from './faithfulness';
import { guidelinesEvaluator } from './guidelines';
import { relevancy } from './relevancy';
import { toxicity } from './toxicity';
import type { Evaluator } from './types';

/** Single-answer evaluators; pairwise has its own entry point (judgePair). */
export const EVALUATORS: Record<Exclude<JudgeId, 'pairwise'>, Evaluator> = {
  faithfulness,
  relevancy,
  correctness,
  guidelines: guidelinesEvaluator,
  bias,
  toxicity,
};

export { judgePair, combinePairwise, readWinner, toPreference, type Preference, type Winner } from './pairwise';
export { evaluate, askJudge, renderJudgePrompt, type JudgeOutcome } from './runner';
export { extractJson, readReply, keyValueLines, JudgeReplyError } from './parse';
export type { ConverseFn, JudgeConverseInput, JudgeConverseResult, Evaluator, Judgment } from './types';
