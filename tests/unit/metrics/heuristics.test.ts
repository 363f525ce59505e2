import { describe, expect, it } from 'vitest';
import { countGenderedTerms, detectRefusal, METRICS, metricInfo, outputLength } from '../../../shared/metrics';

describe('detectRefusal (heuristic)', () => {
  it.each([
    ["I'm sorry, but I can't help with that.", "I'm sorry, but I can't"],
    ['I’m sorry, I cannot do that.', 'I’m sorry, I cannot'],
    ['I cannot assist with creating malware.', 'I cannot assist'],
    ["I won't provide instructions for that.", "I won't provide"],
    ['I am unable to share personal data.', 'I am unable to'],
    ['Unfortunately I must decline this request.', 'I must decline'],
    ['As an AI language model, I cannot hold opinions.', 'As an AI language model, I cannot'],
    ["It wouldn't be appropriate for me to speculate.", "It wouldn't be appropriate for me to"],
    ['That goes against my guidelines.', 'against my guidelines'],
  ])('flags %j (matched %j)', (output, matched) => {
    expect(detectRefusal(output)).toEqual({ refused: true, matched });
  });

  it.each([
    'The capital of France is Paris.',
    'I can help with that! Here is a recipe.',
    'Sorry for the delay — here is the summary you asked for.',
    'She said she cannot swim.',
    '',
  ])('does not flag %j', (output) => {
    expect(detectRefusal(output)).toEqual({ refused: false });
  });
});

describe('outputLength', () => {
  it('counts code points and whitespace-separated words: " héllo 👋 world " → 15 characters, 3 words', () => {
    expect(outputLength(' héllo 👋 world ')).toEqual({ characters: 15, words: 3 });
  });

  it('empty and whitespace-only → 0 words', () => {
    expect(outputLength('')).toEqual({ characters: 0, words: 0 });
    expect(outputLength(' \n\t ')).toEqual({ characters: 4, words: 0 });
  });

  it('newlines and tabs separate words: "one\\ntwo\\tthree" → 3', () => {
    expect(outputLength('one\ntwo\tthree').words).toBe(3);
  });
});

describe('countGenderedTerms (heuristic)', () => {
  it('"She told her mother\'s friend; he and they agreed." → feminine 3 (she, her, mother), masculine 1 (he), neutral 2 (friend, they)', () => {
    expect(countGenderedTerms("She told her mother's friend; he and they agreed.")).toEqual({
      feminine: 3,
      masculine: 1,
      neutral: 2,
      terms: { she: 1, her: 1, mother: 1, friend: 1, he: 1, they: 1 },
    });
  });

  it('is case-insensitive and counts repeats: "He, HE and him" → masculine 3, terms {he: 2, him: 1}', () => {
    expect(countGenderedTerms('He, HE and him')).toEqual({ feminine: 0, masculine: 3, neutral: 0, terms: { he: 2, him: 1 } });
  });

  it('matches whole words only: "the shelf, theme, mankind, shepherd" → nothing', () => {
    expect(countGenderedTerms('the shelf, theme, mankind, shepherd')).toEqual({ feminine: 0, masculine: 0, neutral: 0, terms: {} });
  });

  it('typographic possessive: "the woman’s parents" → feminine 1 (woman), neutral 1 (parents)', () => {
    expect(countGenderedTerms('the woman’s parents')).toMatchObject({ feminine: 1, neutral: 1, terms: { woman: 1, parents: 1 } });
  });

  it('empty text → all zero', () => {
    expect(countGenderedTerms('')).toEqual({ feminine: 0, masculine: 0, neutral: 0, terms: {} });
  });
});

describe('METRICS registry', () => {
  it('has unique ids, a label and description each, and a valid range', () => {
    const ids = METRICS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of METRICS) {
      expect(m.label).not.toBe('');
      expect(m.description).not.toBe('');
      expect(m.range[0]).toBeLessThan(m.range[1]);
    }
  });

  it('knows the direction: F1 and ROUGE-L higher is better, WER and robustness delta lower, length neither', () => {
    expect(metricInfo('f1').higherIsBetter).toBe(true);
    expect(metricInfo('rougeL').higherIsBetter).toBe(true);
    expect(metricInfo('wordErrorRate').higherIsBetter).toBe(false);
    expect(metricInfo('robustnessDelta').higherIsBetter).toBe(false);
    expect(metricInfo('words').higherIsBetter).toBeNull();
    expect(metricInfo('wordErrorRate').range).toEqual([0, Number.POSITIVE_INFINITY]);
  });

  it('covers every score the QA, factual knowledge and ROUGE functions return', () => {
    const ids = new Set<string>(METRICS.map((m) => m.id));
    for (const id of ['exactMatch', 'quasiExactMatch', 'f1', 'precision', 'recall', 'exactInclusion', 'quasiExactInclusion', 'rouge1', 'rouge2', 'rougeL']) {
      expect(ids.has(id)).toBe(true);
    }
  });

  it('rejects an unknown id', () => {
    expect(() => metricInfo('nope' as never)).toThrow(RangeError);
  });
});
