import { JUDGES } from '../../../shared/scores/judges';
import { passFailEvaluator } from './pass-fail';

/** Faithfulness to a given context (pass/fail). */
export const faithfulness = passFailEvaluator(JUDGES.faithfulness, ['faithful', 'is_faithful', 'supported']);
