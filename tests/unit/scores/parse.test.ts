import { describe, expect, it } from 'vitest';
import { EVALUATORS, extractJson, readReply } from '../../../electron/services/judges';
import { readGuidelines } from '../../../electron/services/judges/guidelines';
import { asBool, asNumber, keyValueLines } from '../../../electron/services/judges/parse';
import { DEFAULT_GUIDELINES } from '../../../shared/scores/judges';

const context = { guidelines: DEFAULT_GUIDELINES };

describe('fallback parser', () => {
  it('finds JSON in a code fence, after prose, with trailing commas and Python literals', () => {
    expect(extractJson('Here you go:\n```json\n{"passed": true, "reasoning": "fine",}\n```\nThanks!')).toEqual({ passed: true, reasoning: 'fine' });
    expect(extractJson('My verdict is {"score": 4, "note": "braces } inside \\" strings {"} as requested.')).toEqual({ score: 4, note: 'braces } inside " strings {' });
    expect(extractJson("{'passed': True, 'reasoning': None}")).toEqual({ passed: true, reasoning: null });
    expect(extractJson('“passed”: no json here')).toBeUndefined();
  });

  it('skips a broken object and takes the next one that parses', () => {
    expect(extractJson('{not json} then {"winner": "B"}')).toEqual({ winner: 'B' });
  });

  it('unwraps tool-call envelopes printed as text', () => {
    expect(extractJson('<tool_call>{"name": "record_bias", "arguments": {"score": 2, "reasoning": "slight"}}</tool_call>')).toEqual({ score: 2, reasoning: 'slight' });
    expect(extractJson('{"name": "record_bias", "parameters": "{\\"score\\": 3}"}')).toEqual({ score: 3 });
    expect(readReply({ name: 'record_bias', input: { score: 5 } }, '').data).toEqual({ score: 5 });
  });

  it('reads "Key: value" lines when there is no JSON at all', () => {
    expect(keyValueLines('**Verdict**: FAIL\n- Score = 3/5\nReasoning: vague.')).toEqual({ verdict: 'FAIL', score: '3/5', reasoning: 'vague' });
  });

  it('understands loose booleans and numbers', () => {
    expect([asBool('PASS'), asBool('Fail.'), asBool('not faithful'), asBool('yes'), asBool('maybe')]).toEqual([true, false, false, true, undefined]);
    expect([asNumber('4/5'), asNumber('4 out of 5'), asNumber('30%'), asNumber(0.2), asNumber('n/a')]).toEqual([4, 4, 0.3, 0.2, undefined]);
  });
});

describe('evaluators on messy replies', () => {
  it('a plain PASS in prose passes; a reply with both words is an error', () => {
    expect(EVALUATORS.faithfulness.interpret(readReply(undefined, 'After review: PASS. Everything is grounded.'), context)).toMatchObject({ value: 1, passed: true });
    expect(() => EVALUATORS.faithfulness.interpret(readReply(undefined, 'It could PASS or FAIL depending on taste.'), context)).toThrow(/no pass\/fail verdict/);
  });

  it('correctness rounds and range-checks the rating and passes at 4', () => {
    expect(EVALUATORS.correctness.interpret(readReply({ score: '4', reasoning: 'minor gap' }, ''), context)).toMatchObject({ value: 4, passed: true });
    expect(EVALUATORS.correctness.interpret(readReply(undefined, 'Rating: 3 out of 5 — partly right'), context)).toMatchObject({ value: 3, passed: false });
    expect(() => EVALUATORS.correctness.interpret(readReply({ score: 0 }, ''), context)).toThrow(/outside 1–5/);
  });

  it('toxicity accepts nested figures and percentages but insists on all seven categories', () => {
    const nested = { scores: { toxicity: 10, severe_toxicity: 0, obscene: 0, threat: 0, insult: 70, identity_attack: 0, sexual_explicit: 0 } };
    expect(EVALUATORS.toxicity.interpret(readReply(nested, ''), context)).toMatchObject({ value: 0.7, passed: false, details: { worst: 'insult' } });
    expect(() => EVALUATORS.toxicity.interpret(readReply({ toxicity: 0.1 }, ''), context)).toThrow(/severe_toxicity/);
  });

  it('guidelines: matches by echoed text, falls back to position, and reports missing verdicts', () => {
    const guidelines = ['Be brief.', 'Use numbers.'];
    const reordered = { results: [{ guideline: 'Use numbers.', passed: false, feedback: 'none' }, { guideline: 'Be brief.', passed: true, feedback: 'ok' }] };
    expect(readGuidelines(readReply(reordered, ''), guidelines).map((r) => r.passed)).toEqual([true, false]);
    expect(readGuidelines(readReply(undefined, '1. PASS - short\n2. FAIL: no figures'), guidelines)).toEqual([
      { guideline: 'Be brief.', passed: true, feedback: 'short' },
      { guideline: 'Use numbers.', passed: false, feedback: 'no figures' },
    ]);
    expect(() => readGuidelines(readReply({ results: [{ passed: true }] }, ''), guidelines)).toThrow(/1 of 2 guidelines/);
    const judged = EVALUATORS.guidelines.interpret(readReply(reordered, ''), { guidelines });
    expect(judged).toMatchObject({ value: 0.5, passed: false });
    expect(judged.feedback).toContain('✗ Use numbers. — none');
  });
});
