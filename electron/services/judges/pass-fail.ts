import type { JudgeDefinition } from '../../../shared/scores/judges';
import { asBool, JudgeReplyError, pick, preview, reasoningOf } from './parse';
import type { Evaluator } from './types';

/** Shared reading of the pass/fail judges (faithfulness, relevancy). */
export function passFailEvaluator(definition: JudgeDefinition, aliases: string[]): Evaluator {
  return {
    definition,
    interpret(reply) {
      let passed = asBool(pick(reply.data, 'passed', 'pass', ...aliases, 'verdict', 'result', 'decision', 'answer'));
      if (passed === undefined && !reply.structured) {
        // Last resort for plain prose: a lone PASS or FAIL word, if only one of them appears.
        const pass = /\bPASS(ED)?\b/.test(reply.text);
        const fail = /\bFAIL(ED)?\b/.test(reply.text);
        if (pass !== fail) passed = pass;
      }
      if (passed === undefined) {
        throw new JudgeReplyError(`The ${definition.label.toLowerCase()} judge gave no pass/fail verdict: ${preview(reply.text || JSON.stringify(reply.data))}`, reply.text);
      }
      return { value: passed ? 1 : 0, passed, feedback: reasoningOf(reply), details: { structured: reply.structured } };
    },
  };
}
