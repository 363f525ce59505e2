import { describe, expect, it } from 'vitest';
import { bleu, lcsLength, rouge, rougeTokenize } from '../../../shared/metrics';

describe('rougeTokenize (rouge_score default tokenizer)', () => {
  it('lowercases and turns every non-[a-z0-9] run into a separator: "Hello, World! 42x" → [hello, world, 42x]', () => {
    expect(rougeTokenize('Hello, World! 42x')).toEqual(['hello', 'world', '42x']);
  });

  it('non-ASCII letters vanish, as in rouge_score: "naïve café" → [na, ve, caf]', () => {
    expect(rougeTokenize('naïve café')).toEqual(['na', 've', 'caf']);
  });

  it('stems only tokens longer than 3 characters: "The cats was running" → [the, cat, was, run] ("was" not stemmed to "wa")', () => {
    expect(rougeTokenize('The cats was running', true)).toEqual(['the', 'cat', 'was', 'run']);
    expect(rougeTokenize('The cats was running', false)).toEqual(['the', 'cats', 'was', 'running']);
  });

  it('empty and punctuation-only text has no tokens', () => {
    expect(rougeTokenize('')).toEqual([]);
    expect(rougeTokenize(' ... !? ')).toEqual([]);
  });
});

describe('rouge', () => {
  it('"the cat was found under the bed" (7 tokens) vs reference "the cat was under the bed" (6): R1 overlap 6 → p=6/7, r=1, F=12/13; R2 overlap 4 of 6/5 bigrams → F=16/22; RL lcs 6 → F=12/13', () => {
    const s = rouge('the cat was found under the bed', 'the cat was under the bed', { stem: false });
    expect(s.rouge1).toBeCloseTo(12 / 13, 12);
    expect(s.rouge2).toBeCloseTo(16 / 22, 12);
    expect(s.rougeL).toBeCloseTo(12 / 13, 12);
  });

  it('is symmetric in F-measure for R1 but uses the output as prediction: swapping gives the same F (p and r swap)', () => {
    const a = rouge('the cat was found under the bed', 'the cat was under the bed', { stem: false });
    const b = rouge('the cat was under the bed', 'the cat was found under the bed', { stem: false });
    expect(b.rouge1).toBeCloseTo(a.rouge1, 12);
  });

  it('stemming (the default, as FMEval): "running dogs" vs "the dog runs" → [run,dog] vs [the,dog,run]: R1 p=2/2 r=2/3 F=0.8; R2 0; RL lcs 1 → p=1/2 r=1/3 F=0.4', () => {
    expect(rouge('running dogs', 'the dog runs')).toEqual({ rouge1: expect.closeTo(0.8, 12), rouge2: 0, rougeL: expect.closeTo(0.4, 12) });
  });

  it('without stemming the same pair shares no token → all 0', () => {
    expect(rouge('running dogs', 'the dog runs', { stem: false })).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it('n-gram matches are clipped: "the the the" vs "the" → R1 min(3,1)=1: p=1/3 r=1 F=0.5; R2 0 (reference has no bigram); RL lcs 1 → 0.5', () => {
    expect(rouge('the the the', 'the', { stem: false })).toEqual({ rouge1: 0.5, rouge2: 0, rougeL: 0.5 });
  });

  it('order matters for L and 2 only: "a b c d" vs "d c b a" → R1 1, R2 0, RL lcs 1 → 1/4', () => {
    expect(rouge('a b c d', 'd c b a')).toEqual({ rouge1: 1, rouge2: 0, rougeL: 0.25 });
  });

  it('identical texts score 1; case and punctuation do not matter: "Hello, world!" vs "hello world" → 1, 1, 1', () => {
    expect(rouge('Hello, world!', 'hello world')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
  });

  it('empty vs empty → 0 (rouge_score convention); empty vs non-empty → 0; no NaN', () => {
    expect(rouge('', '')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rouge('', 'cat')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rouge('cat', '...')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
  });

  it('long texts (2,000 distinct words): identical → R2 1, rotated by one word → R2 (n−2)/(n−1)', () => {
    const words = Array.from({ length: 2_000 }, (_, i) => `w${i}`);
    const text = words.join(' ');
    expect(rouge(text, text, { stem: false }).rouge2).toBe(1);
    const shifted = [...words.slice(1), words[0]].join(' ');
    // 1,999 bigrams each; the rotated text shares all but the one that wraps around (w1999 w0): 1,998.
    expect(rouge(text, shifted, { stem: false }).rouge2).toBeCloseTo(1_998 / 1_999, 12);
  });
});

describe('lcsLength', () => {
  it('"ABCBDAB" vs "BDCABA" → 4 (BCBA)', () => {
    const code = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
    expect(lcsLength(code('ABCBDAB'), code('BDCABA'))).toBe(4);
    expect(lcsLength([], [1, 2])).toBe(0);
  });
});

describe('bleu (sentence BLEU, exp smoothing, effective order)', () => {
  it('identical texts → 1', () => {
    expect(bleu('the cat sat on the mat', 'the cat sat on the mat')).toBeCloseTo(1, 12);
  });

  it('"the dog sat on a mat" vs "the cat sat on the mat": p1=4/6, p2=1/5, p3 0 → 1/(2·4), p4 0 → 1/(4·3), BP 1 → (1/720)^(1/4) ≈ 0.19306', () => {
    expect(bleu('the dog sat on a mat', 'the cat sat on the mat')).toBeCloseTo((1 / 720) ** 0.25, 12);
  });

  it('short output: "the cat" vs 6 words → effective order 2, p1=p2=1, BP=exp(1−6/2)=e^−2', () => {
    expect(bleu('the cat', 'the cat sat on the mat')).toBeCloseTo(Math.exp(-2), 12);
  });

  it('empty output → 0', () => {
    expect(bleu('', 'the cat')).toBe(0);
  });

  it('10,000 distinct words (vocabulary⁴ beyond 2⁵³, so n-gram keys switch to strings): identical → 1; reversed → p1=1, p2..p4 smoothed to 1/(2·9999), 1/(4·9998), 1/(8·9997)', () => {
    const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
    const text = words.join(' ');
    expect(bleu(text, text)).toBeCloseTo(1, 12);
    const expected = (1 / (2 * 9_999) / (4 * 9_998) / (8 * 9_997)) ** 0.25;
    expect(bleu(text, [...words].reverse().join(' '))).toBeCloseTo(expected, 15);
  });
});
