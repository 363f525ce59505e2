import { describe, expect, it } from 'vitest';
import { createRng, factualKnowledge, normalizeText, qaAccuracy } from '../../../shared/metrics';

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'; // Python's string.punctuation

/** FMEval's normalize_text_quac_protocol, transliterated literally (slow, obviously right). */
function literalNormalize(text: string): string {
  const noPunctuation = [...text.toLowerCase()].filter((c) => !PUNCTUATION.includes(c)).join('');
  return noPunctuation
    .split(' ')
    .filter((w) => w !== '' && !['a', 'an', 'the'].includes(w))
    .join(' ');
}

/** Random strings rich in the cases that matter: articles, punctuation inside and around words, whitespace. */
function randomTexts(count: number): string[] {
  const rng = createRng(99);
  const pieces = ['the', 'The', 'a', 'A', 'an', 'AN', 'cat', 'U.S.A.', "it's", 'x-ray', 'Été', ',', '.', '!', '--', ' ', ' ', ' ', '  ', '\n', '\t', '(', ')', '’'];
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(rng() * 12) }, () => pieces[Math.floor(rng() * pieces.length)]).join(rng() < 0.5 ? '' : ' '),
  );
}

describe('normalizeText (FMEval normalize_text_quac_protocol)', () => {
  it('lowercases, removes ASCII punctuation and the articles a/an/the, collapses spaces', () => {
    expect(normalizeText('The  Cat, an apple & A dog!')).toBe('cat apple dog');
  });

  it('keeps non-ASCII punctuation and letters: "It’s — Café" → "it’s — café"', () => {
    expect(normalizeText('It’s — Café')).toBe('it’s — café');
  });

  it('splits on single spaces only: "the\\ncat" keeps its article (as FMEval)', () => {
    expect(normalizeText('the\ncat')).toBe('the\ncat');
  });

  it('an article glued to punctuation is removed once the punctuation goes: "(the) end" → "end"', () => {
    expect(normalizeText('(the) end')).toBe('end');
  });

  it('agrees with a literal transliteration of FMEval on 5,000 random strings', () => {
    const texts = randomTexts(5_000);
    expect(texts.map(normalizeText)).toEqual(texts.map(literalNormalize));
  });
});

describe('qaAccuracy', () => {
  it('f1: output "the cat sat" vs target "a cat sat down" → sets {cat,sat} vs {cat,sat,down}: p=2/2, r=2/3, f1=0.8', () => {
    const s = qaAccuracy('the cat sat', 'a cat sat down');
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(0.8, 12);
    expect(s.exactMatch).toBe(0);
    expect(s.quasiExactMatch).toBe(0);
  });

  it('exact match compares stripped strings: "  Paris \\n" vs "Paris" → 1, "paris" vs "Paris" → 0', () => {
    expect(qaAccuracy('  Paris \n', 'Paris').exactMatch).toBe(1);
    expect(qaAccuracy('paris', 'Paris').exactMatch).toBe(0);
  });

  it('quasi-exact match ignores case, punctuation and articles: "The Eiffel-Tower." vs "eiffeltower" → 1, exact 0', () => {
    const s = qaAccuracy('The Eiffel-Tower.', 'eiffeltower');
    expect(s.quasiExactMatch).toBe(1);
    expect(s.exactMatch).toBe(0);
    expect(s.f1).toBe(1);
  });

  it('duplicates count once (sets): "cat cat cat dog" vs "cat" → {cat,dog} vs {cat}: p=1/2, r=1/1, f1=2/3', () => {
    const s = qaAccuracy('cat cat cat dog', 'cat');
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(1);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });

  it('multiple targets take the maximum of each score: "London" vs "UK<OR>London, England" → p=max(0,1)=1, r=max(0,1/2)=1/2, f1=2/3', () => {
    const s = qaAccuracy('London', 'UK<OR>London, England');
    expect(s).toEqual({ exactMatch: 0, quasiExactMatch: 0, precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 12) });
  });

  it('precision and recall may come from different targets: "x y z" vs "x<OR>x y z v w" → p=max(1/3,3/3)=1, r=max(1/1,3/5)=1, f1=max(0.5,0.75)=0.75', () => {
    const s = qaAccuracy('x y z', 'x<OR>x y z v w');
    expect(s.precision).toBe(1); // from the second target: 3/3
    expect(s.recall).toBe(1); // from the first target: 1/1
    expect(s.f1).toBeCloseTo(0.75, 12); // first: 2·(1/3)·1/(4/3)=0.5; second: 2·1·0.6/1.6=0.75
  });

  it('exact match over several targets: "England" vs "UK<OR>England" → 1', () => {
    expect(qaAccuracy('England', 'UK<OR>England').exactMatch).toBe(1);
  });

  it('a custom delimiter splits targets; null means one target', () => {
    expect(qaAccuracy('England', 'UK|England', { delimiter: '|' }).exactMatch).toBe(1);
    expect(qaAccuracy('UK<OR>England', 'UK<OR>England', { delimiter: null }).exactMatch).toBe(1);
    expect(() => qaAccuracy('a', 'b', { delimiter: '' })).toThrow(RangeError);
  });

  it('punctuation is removed before splitting: "Yes, it is." vs "yes it is" → p=r=f1=1 and quasi-exact 1', () => {
    expect(qaAccuracy('Yes, it is.', 'yes it is')).toEqual({ exactMatch: 0, quasiExactMatch: 1, f1: 1, precision: 1, recall: 1 });
  });

  it('empty vs empty: exact and quasi-exact 1, but p=r=f1=0 (NLTK returns None for empty sets, FMEval maps it to 0)', () => {
    expect(qaAccuracy('', '')).toEqual({ exactMatch: 1, quasiExactMatch: 1, f1: 0, precision: 0, recall: 0 });
  });

  it('empty vs non-empty (either way) → all 0, no NaN', () => {
    for (const s of [qaAccuracy('', 'Paris'), qaAccuracy('Paris', ''), qaAccuracy('   ', 'Paris')]) {
      expect(s).toEqual({ exactMatch: 0, quasiExactMatch: 0, f1: 0, precision: 0, recall: 0 });
    }
  });

  it('only articles: "The" vs "a" → both normalize to "" → quasi-exact 1, f1 0', () => {
    expect(qaAccuracy('The', 'a')).toEqual({ exactMatch: 0, quasiExactMatch: 1, f1: 0, precision: 0, recall: 0 });
  });

  it('no overlap: "cat" vs "dog" → p=r=f1=0', () => {
    expect(qaAccuracy('cat', 'dog')).toEqual({ exactMatch: 0, quasiExactMatch: 0, f1: 0, precision: 0, recall: 0 });
  });

  it('unicode: "Café au lait" vs "cafe au lait" → {café,au,lait} vs {cafe,au,lait}: p=r=2/3, f1=2/3', () => {
    const s = qaAccuracy('Café au lait', 'cafe au lait');
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });

  it('unicode: curly apostrophe is not ASCII punctuation: "It’s" vs "its" → quasi 0, but "It\'s" vs "its" → quasi 1', () => {
    expect(qaAccuracy('It’s', 'its').quasiExactMatch).toBe(0);
    expect(qaAccuracy("It's", 'its').quasiExactMatch).toBe(1);
  });

  it('newlines separate words for F1 but not for article removal: "the\\ncat" vs "cat" → {the,cat} vs {cat}: p=1/2, r=1, f1=2/3', () => {
    const s = qaAccuracy('the\ncat', 'cat');
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(1);
    expect(s.quasiExactMatch).toBe(0);
  });
});

describe('qaAccuracy against a literal FMEval transliteration', () => {
  it('precision, recall, F1 and quasi-exact match agree on 2,000 random pairs', () => {
    const texts = randomTexts(4_000);
    for (let i = 0; i < texts.length; i += 2) {
      const [output, target] = [texts[i]!, texts[i + 1]!];
      const o = new Set(literalNormalize(output.trim()).split(/\s+/).filter(Boolean));
      const t = new Set(literalNormalize(target.trim()).split(/\s+/).filter(Boolean));
      const common = [...o].filter((w) => t.has(w)).length;
      const p = o.size && t.size ? common / o.size : 0;
      const r = o.size && t.size ? common / t.size : 0;
      const s = qaAccuracy(output, target);
      expect(s.precision).toBeCloseTo(p, 12);
      expect(s.recall).toBeCloseTo(r, 12);
      expect(s.f1).toBeCloseTo(p + r > 0 ? (2 * p * r) / (p + r) : 0, 12);
      expect(s.quasiExactMatch).toBe(literalNormalize(output.trim()) === literalNormalize(target.trim()) ? 1 : 0);
    }
  });
});

describe('factualKnowledge', () => {
  it('exact inclusion lowercases both: "Berlin is in Germany." contains "germany" → 1', () => {
    expect(factualKnowledge('Berlin is in Germany.', 'germany')).toEqual({ exactInclusion: 1, quasiExactInclusion: 1 });
  });

  it('quasi-exact inclusion normalizes both: "the U.S.A." contains "USA" only after normalization', () => {
    expect(factualKnowledge('It is the U.S.A.', 'USA')).toEqual({ exactInclusion: 0, quasiExactInclusion: 1 });
  });

  it('<OR>: one contained target suffices: "Germany" vs "Berlin<OR>Germany" → 1; none → 0', () => {
    expect(factualKnowledge('It is Germany', 'Berlin<OR>Germany').exactInclusion).toBe(1);
    expect(factualKnowledge('It is France', 'Berlin<OR>Germany').exactInclusion).toBe(0);
  });

  it('<AND>: every target must be contained: "red, yellow and blue" vs "red<AND>blue" → 1, vs "red<AND>green" → 0', () => {
    expect(factualKnowledge('Red, yellow and blue', 'red<AND>blue', { delimiter: '<AND>' }).exactInclusion).toBe(1);
    expect(factualKnowledge('Red, yellow and blue', 'red<AND>green', { delimiter: '<AND>' })).toEqual({ exactInclusion: 0, quasiExactInclusion: 0 });
  });

  it('operator can be given explicitly: <OR>-separated targets with AND → all required', () => {
    expect(factualKnowledge('red', 'red<OR>blue', { operator: 'AND' }).exactInclusion).toBe(0);
  });

  it('substring containment, as FMEval: "concatenate" contains "cat" → 1', () => {
    expect(factualKnowledge('concatenate', 'cat').exactInclusion).toBe(1);
  });

  it('empty output vs non-empty target → 0; an empty target is contained everywhere → 1 (Python "" in s)', () => {
    expect(factualKnowledge('', 'Paris')).toEqual({ exactInclusion: 0, quasiExactInclusion: 0 });
    expect(factualKnowledge('anything', '')).toEqual({ exactInclusion: 1, quasiExactInclusion: 1 });
  });
});
