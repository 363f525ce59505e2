import { JUDGES } from '../../../shared/scores/judges';
import { passFailEvaluator } from './pass-fail';

/** Relevancy of the answer to the question (pass/fail). */
export const relevancy = passFailEvaluator(JUDGES.relevancy, ['relevant', 'is_relevant']);
