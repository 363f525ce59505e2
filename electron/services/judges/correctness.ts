import { JUDGES } from '../../../shared/scores/judges';
import { reasoningOf } from './parse';
import { readRating } from './rating';
import type { Evaluator } from './types';

/** Correctness against a reference answer: 1–5, passes at 4 or more. */
export const correctness: Evaluator = {
  definition: JUDGES.correctness,
  interpret(reply) {
    const score = readRating(reply, 'correctness');
    return { value: score, passed: score >= 4, feedback: reasoningOf(reply), details: { structured: reply.structured } };
  },
};
