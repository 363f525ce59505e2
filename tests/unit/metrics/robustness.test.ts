import { describe, expect, it } from 'vitest';
import {
  PERTURBATION_KINDS,
  createRng,
  meanAbsoluteDelta,
  perturb,
  perturbations,
  qaAccuracy,
  summarizeRobustness,
  werWords,
  wordErrorRate,
} from '../../../shared/metrics';

const SENTENCE = 'A quick brown fox jumps over the lazy dog 10 times, then naps in the warm afternoon sun.';
const LETTERS = 'abcdefghijklmnoqrstuvwxyz'; // no "p": its neighbours include "[" and "'"
const LONG_LOWER = LETTERS.repeat(1_000); // 25,000 letters

function changedPositions(a: string, b: string): number {
  let changed = 0;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) changed += 1;
  return changed;
}

describe('createRng', () => {
  it('is deterministic per seed and yields values in [0, 1)', () => {
    const a = createRng(42);
    const b = createRng(42);
    const values = Array.from({ length: 1_000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(createRng(43)()).not.toBe(values[0]);
  });
});

describe('perturb', () => {
  it.each(PERTURBATION_KINDS)('%s: same seed → same string; different seed → different string', (kind) => {
    const text = SENTENCE.repeat(4);
    expect(perturb(text, kind, { seed: 7 })).toBe(perturb(text, kind, { seed: 7 }));
    expect(perturb(text, kind, { seed: 7 })).not.toBe(perturb(text, kind, { seed: 8 }));
    expect(perturb(text, kind, { seed: 7 })).not.toBe(text);
  });

  it('butter-finger replaces ≈10% of letters (25,000 letters: observed within 0.09–0.11) and keeps the length', () => {
    const out = perturb(LONG_LOWER, 'butter-finger', { seed: 1 });
    expect(out).toHaveLength(LONG_LOWER.length);
    const rate = changedPositions(LONG_LOWER, out) / LONG_LOWER.length;
    expect(rate).toBeGreaterThan(0.09);
    expect(rate).toBeLessThan(0.11);
  });

  it('butter-finger honours perturbationProb: 0.3 → ≈30% (0.28–0.32); 0 → unchanged; 1 → every letter changed', () => {
    const rate = changedPositions(LONG_LOWER, perturb(LONG_LOWER, 'butter-finger', { seed: 2, perturbationProb: 0.3 })) / LONG_LOWER.length;
    expect(rate).toBeGreaterThan(0.28);
    expect(rate).toBeLessThan(0.32);
    expect(perturb(LONG_LOWER, 'butter-finger', { seed: 2, perturbationProb: 0 })).toBe(LONG_LOWER);
    expect(changedPositions(LONG_LOWER, perturb(LONG_LOWER, 'butter-finger', { seed: 2, perturbationProb: 1 }))).toBe(LONG_LOWER.length);
  });

  it('butter-finger replaces a letter by one of its QWERTY neighbours: "q" only becomes one of w,a,s,e,d,z,x', () => {
    const out = perturb('q'.repeat(2_000), 'butter-finger', { seed: 3, perturbationProb: 1 });
    expect(new Set(out)).toEqual(new Set('wasedzx'));
  });

  it('butter-finger keeps case and leaves digits, punctuation and whitespace alone', () => {
    const upper = LONG_LOWER.toUpperCase();
    const out = perturb(upper, 'butter-finger', { seed: 4, perturbationProb: 1 });
    expect(out).toBe(out.toUpperCase());
    const other = '0123456789 .,;!?-_\n\t'.repeat(50);
    expect(perturb(other, 'butter-finger', { seed: 4, perturbationProb: 1 })).toBe(other);
  });

  it('random-upper-case uppercases exactly floor(10% × length) distinct positions: 1,234 lowercase letters → 123', () => {
    const text = LONG_LOWER.slice(0, 1_234);
    const out = perturb(text, 'random-upper-case', { seed: 5 });
    expect(out.toLowerCase()).toBe(text);
    expect([...out].filter((c) => c !== c.toLowerCase())).toHaveLength(123);
    const third = perturb(text, 'random-upper-case', { seed: 5, corruptProportion: 1 / 3 });
    expect([...third].filter((c) => c !== c.toLowerCase())).toHaveLength(411);
  });

  it('random-upper-case counts code points, not UTF-16 units: 10 emoji + "abcdefghij" (20 code points) → 2 positions', () => {
    const text = '😀'.repeat(10) + 'abcdefghij';
    const outs = Array.from({ length: 50 }, (_, seed) => perturb(text, 'random-upper-case', { seed }));
    for (const out of outs) {
      expect(out.toLowerCase()).toBe(text);
      expect([...out].filter((c) => c !== c.toLowerCase()).length).toBeLessThanOrEqual(2);
    }
    // Over 50 seeds the two positions sometimes land on letters.
    expect(outs.some((out) => out !== text)).toBe(true);
  });

  it('whitespace-add-remove removes ≈10% of whitespace (20,000 spaces, addProb 0: 0.09–0.11 removed)', () => {
    const text = 'x '.repeat(20_000);
    const out = perturb(text, 'whitespace-add-remove', { seed: 6, addProb: 0 });
    const removed = 1 - (out.split(' ').length - 1) / 20_000;
    expect(removed).toBeGreaterThan(0.09);
    expect(removed).toBeLessThan(0.11);
  });

  it('whitespace-add-remove adds a space after ≈5% of non-space characters (20,000, removeProb 0: 0.04–0.06)', () => {
    const text = 'x'.repeat(20_000);
    const out = perturb(text, 'whitespace-add-remove', { seed: 6, removeProb: 0 });
    const added = (out.split(' ').length - 1) / 20_000;
    expect(added).toBeGreaterThan(0.04);
    expect(added).toBeLessThan(0.06);
    expect(out.startsWith(' ')).toBe(false); // added after, never before, a character
  });

  it('whitespace-add-remove never touches the non-space characters or their order', () => {
    const out = perturb(SENTENCE.repeat(20), 'whitespace-add-remove', { seed: 9 });
    expect(out.replace(/\s/g, '')).toBe(SENTENCE.repeat(20).replace(/\s/g, ''));
  });

  it('empty text stays empty', () => {
    for (const kind of PERTURBATION_KINDS) expect(perturb('', kind, { seed: 1 })).toBe('');
  });
});

describe('perturbations', () => {
  it('returns 5 versions by default, reproducible from the seed, the first equal to perturb() with that seed', () => {
    const a = perturbations(SENTENCE, 'butter-finger', { seed: 11 });
    expect(a).toHaveLength(5);
    expect(perturbations(SENTENCE, 'butter-finger', { seed: 11 })).toEqual(a);
    expect(a[0]).toBe(perturb(SENTENCE, 'butter-finger', { seed: 11 }));
    expect(new Set(a).size).toBeGreaterThan(1);
    expect(perturbations(SENTENCE, 'butter-finger', { seed: 12 })).not.toEqual(a);
  });

  it('honours count, including 0', () => {
    expect(perturbations(SENTENCE, 'random-upper-case', { seed: 1, count: 3 })).toHaveLength(3);
    expect(perturbations(SENTENCE, 'random-upper-case', { seed: 1, count: 0 })).toEqual([]);
  });
});

describe('meanAbsoluteDelta', () => {
  it('0.8 vs [0.6, 1.0, 0.8] → (0.2 + 0.2 + 0) / 3 = 0.1333…', () => {
    expect(meanAbsoluteDelta(0.8, [0.6, 1.0, 0.8])).toBeCloseTo(0.4 / 3, 12);
  });

  it('no perturbed scores → 0, not NaN', () => {
    expect(meanAbsoluteDelta(0.5, [])).toBe(0);
  });
});

describe('wordErrorRate', () => {
  it('"the cat sat on the mat" → "the cat sit on mat now": 1 substitution + 1 deletion + 1 insertion = 3 / 6 words = 0.5', () => {
    expect(wordErrorRate('the cat sat on the mat', 'the cat sit on mat now')).toBe(0.5);
  });

  it('identical → 0; everything deleted "a b c" → "" = 3/3 = 1; insertions can exceed 1: "a" → "a b c d" = 3/1 = 3', () => {
    expect(wordErrorRate('a b c', 'a b c')).toBe(0);
    expect(wordErrorRate('a b c', '')).toBe(1);
    expect(wordErrorRate('a', 'a b c d')).toBe(3);
  });

  it('is case- and punctuation-sensitive like jiwer: "The end." vs "the end" → 2 substitutions / 2 = 1', () => {
    expect(wordErrorRate('The end.', 'the end')).toBe(1);
  });

  it('splits like jiwer: extra spaces collapse; a single newline joins words ("a\\nb" is one word), a double one separates', () => {
    expect(werWords('  a   b  ')).toEqual(['a', 'b']);
    expect(werWords('a\nb')).toEqual(['a\nb']);
    expect(werWords('a\n\nb')).toEqual(['a', 'b']);
    // reference ["a\nb"] vs ["a", "b"]: 1 substitution + 1 insertion = 2 / 1
    expect(wordErrorRate('a\nb', 'a b')).toBe(2);
  });

  it('empty reference: 0 if the hypothesis is empty too, otherwise 1 (jiwer raises here)', () => {
    expect(wordErrorRate('', '')).toBe(0);
    expect(wordErrorRate('  ', 'word')).toBe(1);
  });
});

describe('summarizeRobustness', () => {
  it('original "Paris" (f1 1) vs ["Paris", "Paris, France", "Lyon"] (f1 1, 2/3, 0) → deltaMean (0 + 1/3 + 1)/3 = 4/9; WER (0 + 2 + 1)/3 = 1', () => {
    const summary = summarizeRobustness({ original: 'Paris', perturbed: ['Paris', 'Paris, France', 'Lyon'] }, (o) => qaAccuracy(o, 'Paris').f1);
    expect(summary.deltaMean).toBeCloseTo(4 / 9, 12);
    expect(summary.werMean).toBe(1);
    expect(summary.count).toBe(3);
  });

  it('no perturbed outputs → zeros and the scorer is not needed', () => {
    expect(summarizeRobustness({ original: 'x', perturbed: [] }, () => Number.NaN)).toEqual({ deltaMean: 0, werMean: 0, count: 0 });
  });
});
