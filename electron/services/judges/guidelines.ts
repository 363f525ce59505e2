import { JUDGES } from '../../../shared/scores/judges';
import { asBool, asText, JudgeReplyError, pick, preview, type JudgeReply, type Loose } from './parse';
import type { Evaluator } from './types';

export interface GuidelineResult {
  guideline: string;
  passed: boolean;
  feedback: string;
}

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "1. PASS — reason", "Guideline 2: FAIL: reason" lines. */
function fromLines(text: string): { index: number; passed: boolean; feedback: string }[] {
  const found: { index: number; passed: boolean; feedback: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*[-*]?\s*(?:\*\*)?(?:guideline\s*)?(\d+)\b[^A-Za-z]*?(?:.*?)\b(PASS(?:ED)?|FAIL(?:ED)?|YES|NO)\b[*\s:–—-]*(.*)$/i.exec(line);
    if (!match) continue;
    found.push({ index: Number(match[1]) - 1, passed: /^(pass|yes)/i.test(match[2]!), feedback: match[3]!.trim() });
  }
  return found;
}

function entriesOf(reply: JudgeReply): unknown[] | undefined {
  const results = pick(reply.data, 'results', 'guidelines', 'evaluations', 'verdicts', 'checks');
  if (Array.isArray(results)) return results;
  if (isRecord(results)) return Object.entries(results).map(([key, value]) => (isRecord(value) ? { guideline: key, ...value } : { guideline: key, passed: value }));
  return undefined;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

export function readGuidelines(reply: JudgeReply, guidelines: readonly string[]): GuidelineResult[] {
  if (guidelines.length === 0) throw new JudgeReplyError('There are no guidelines to check. Add some in Score settings.');
  const entries = entriesOf(reply);
  const byIndex = new Map<number, { passed: boolean; feedback: string }>();
  if (entries) {
    entries.forEach((entry, position) => {
      if (!isRecord(entry)) {
        const passed = asBool(entry);
        if (passed !== undefined) byIndex.set(position, { passed, feedback: '' });
        return;
      }
      const passed = asBool(pick(entry, 'passed', 'pass', 'verdict', 'result', 'compliant', 'follows'));
      if (passed === undefined) return;
      const feedback = asText(pick(entry, 'feedback', 'reasoning', 'reason', 'explanation', 'rationale'));
      // Match by the echoed guideline text when it is recognisable, else by position.
      const echoed = normalize(asText(pick(entry, 'guideline', 'name', 'rule')));
      const matched = echoed ? guidelines.findIndex((g) => normalize(g) === echoed) : -1;
      const index = matched !== -1 && !byIndex.has(matched) ? matched : position;
      byIndex.set(index, { passed, feedback });
    });
  } else if (!reply.structured) {
    for (const line of fromLines(reply.text)) if (!byIndex.has(line.index)) byIndex.set(line.index, { passed: line.passed, feedback: line.feedback });
  }
  const missing = guidelines.map((_, index) => index).filter((index) => !byIndex.has(index));
  if (missing.length > 0) {
    throw new JudgeReplyError(
      `The guidelines judge returned verdicts for ${guidelines.length - missing.length} of ${guidelines.length} guidelines: ${preview(reply.text || JSON.stringify(reply.data))}`,
      reply.text,
    );
  }
  return guidelines.map((guideline, index) => ({ guideline, ...byIndex.get(index)! }));
}

/** Pass/fail with feedback per guideline; headline = share passed; passes when all pass. */
export const guidelinesEvaluator: Evaluator = {
  definition: JUDGES.guidelines,
  interpret(reply, { guidelines }) {
    const results = readGuidelines(reply, guidelines);
    const passedCount = results.filter((result) => result.passed).length;
    const failed = results.filter((result) => !result.passed);
    const feedback =
      failed.length === 0
        ? `All ${results.length} guidelines pass.`
        : failed.map((result) => `✗ ${result.guideline}${result.feedback ? ` — ${result.feedback}` : ''}`).join('\n');
    return {
      value: passedCount / results.length,
      passed: failed.length === 0,
      feedback,
      details: { results, structured: reply.structured },
    };
  },
};
