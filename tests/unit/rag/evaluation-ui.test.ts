/**
 * What the evaluation screen reads: each metric in its own unit (pass rates, 1–5, shares, rank),
 * deltas in points or plain, an imported question set checked with problems that name the
 * question and field, and the grounding steps' checks in the editor's resolver.
 */
import { describe, expect, it } from 'vitest';
import { resolveArmRequest } from '../../../shared/arms/resolve';
import { deltaDirection, formatEvalAverage, formatEvalCell, formatEvalDelta } from '../../../shared/rag/eval-format';
import { SAMPLE_QA_SET } from '../../../shared/rag/qa';
import { parseQaSetFile } from '../../../shared/rag/qa-import';
import { NEEDS_CORPUS, NEEDS_RETRIEVE } from '../../../shared/steps/grounding-checks';
import { minimalConfig } from '../../support/minimal-config';

describe('evaluation numbers in words', () => {
  it('formats a cell, an average and a delta in each metric’s unit', () => {
    expect(['faithfulness', 'relevancy'].map((m) => [formatEvalCell(m as 'relevancy', 1), formatEvalCell(m as 'relevancy', 0)])).toEqual([
      ['Pass', 'Fail'],
      ['Pass', 'Fail'],
    ]);
    expect(formatEvalCell('correctness', 4)).toBe('4 / 5');
    expect(formatEvalCell('guidelines', 0.5)).toBe('50%');
    expect(formatEvalCell('hitRate', 0)).toBe('Missed');
    expect(formatEvalCell('mrr', 0.5)).toBe('0.50 (rank 2)');
    expect(formatEvalCell('mrr', 0)).toBe('0 (not found)');
    expect(formatEvalCell('faithfulness', null)).toBe('—');
    expect(formatEvalAverage('faithfulness', 2 / 3)).toBe('67% pass');
    expect(formatEvalAverage('correctness', 3.25)).toBe('3.3 / 5');
    expect(formatEvalAverage('hitRate', 0.75)).toBe('75% found');
    expect(formatEvalAverage('mrr', 0.8333)).toBe('0.83');
    expect(formatEvalDelta('relevancy', 1 / 3)).toBe('+33 pts');
    expect(formatEvalDelta('correctness', -1.25)).toBe('−1.3');
    expect(formatEvalDelta('mrr', 0.25)).toBe('+0.25');
    expect(formatEvalDelta('guidelines', 0)).toBe('±0 pts');
    expect(formatEvalDelta('correctness', null)).toBe('');
    expect([deltaDirection(0.2), deltaDirection(-0.1), deltaDirection(0), deltaDirection(null)]).toEqual(['better', 'worse', 'same', null]);
  });
});

describe('importing a question set', () => {
  it('accepts the bundled shape and a bare list of items', () => {
    const full = parseQaSetFile('bank.json', JSON.stringify(SAMPLE_QA_SET));
    expect(full.ok && full.set.items.length).toBe(SAMPLE_QA_SET.items.length);
    const bare = parseQaSetFile('my questions.json', JSON.stringify([{ id: 'a', question: 'What is the fee?', reference: '$35.' }]));
    expect(bare).toEqual({ ok: true, set: { id: 'my questions', name: 'my questions', description: '', items: [{ id: 'a', kind: 'single', question: 'What is the fee?', reference: '$35.' }] } });
  });

  it('names the question and field that is wrong, and refuses what is not JSON or repeats ids', () => {
    const missing = parseQaSetFile('set.json', JSON.stringify({ id: 's', name: 'S', items: [{ id: 'a', question: 'Q?', reference: 'R.' }, { id: 'b', question: 'Q2?' }] }));
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problems).toEqual([expect.stringMatching(/^Question 2 \(reference\): /)]);
    const broken = parseQaSetFile('notes.json', '{ "items": [');
    expect(!broken.ok && broken.problems[0]).toMatch(/^“notes\.json” is not valid JSON/);
    const twice = parseQaSetFile('set.json', JSON.stringify([{ id: 'a', question: 'Q?', reference: 'R.' }, { id: 'a', question: 'Q2?', reference: 'R2.' }]));
    expect(!twice.ok && twice.problems).toEqual(['Each question needs its own id; these repeat: a.']);
  });
});

describe('grounding steps in the editor’s resolver', () => {
  const configWith = (steps: unknown[]) => {
    const config = minimalConfig('What is the limit?', 'amazon.nova-lite-v1:0', ['Grounded']);
    return { ...config, arms: [config.arms[0]!, { mode: 'derived' as const, label: 'Grounded', steps: steps as never, overrides: {} }] };
  };

  it('asks for a corpus, and for a retrieve step above a clarify step', () => {
    const noCorpus = resolveArmRequest(configWith([{ kind: 'retrieve', corpusId: '', mode: 'hybrid', k: 5, instruction: '' }]), 1);
    expect(noCorpus.steps.map((s) => [s.status, s.problem])).toEqual([['problem', NEEDS_CORPUS]]);
    const alone = resolveArmRequest(configWith([{ kind: 'clarify' }, { kind: 'retrieve', corpusId: 'c1', mode: 'hybrid', k: 5, instruction: '' }]), 1);
    expect(alone.steps.map((s) => [s.status, s.problem])).toEqual([
      ['problem', NEEDS_RETRIEVE],
      ['at-run', undefined],
    ]);
    const ready = resolveArmRequest(configWith([{ kind: 'retrieve', corpusId: 'c1', mode: 'hybrid', k: 5, instruction: '' }, { kind: 'clarify' }]), 1);
    expect(ready.steps.map((s) => s.status)).toEqual(['at-run', 'at-run']);
  });
});
