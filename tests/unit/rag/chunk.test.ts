import { describe, expect, it } from 'vitest';
import { chunkPages, chunkSettingsProblem, pageLabel } from '../../../shared/rag/chunk';
import { countTokens, queryTerms, tokenOffsets } from '../../../shared/rag/tokens';
import { highlightTerms } from '../../../shared/rag/highlight';

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

describe('tokens', () => {
  it('counts words, numbers and punctuation marks, and each CJK character as one', () => {
    expect(countTokens('The fee is $25.00, isn’t it?')).toBe(11); // The fee is $ 25 . 00 , isn’t it ?
    expect(countTokens('口座の手数料')).toBe(6);
    expect(countTokens('naïve café 🙂')).toBe(3);
  });

  it('drops stop words and repeats from the question terms', () => {
    expect(queryTerms('What is the overdraft fee, and the OVERDRAFT limit?')).toEqual(['overdraft', 'fee', 'limit']);
  });
});

describe('chunkPages', () => {
  it('cuts fixed windows of tokens that overlap by exactly the overlap', () => {
    const chunks = chunkPages([{ page: null, text: numbered(25) }], { size: 10, overlap: 3 });
    expect(chunks.map((c) => c.text.split(' ')[0])).toEqual(['w0', 'w7', 'w14', 'w21']);
    expect(chunks.map((c) => c.tokens)).toEqual([10, 10, 10, 4]);
    // The last 3 tokens of a chunk are the first 3 of the next.
    for (let i = 0; i + 1 < chunks.length; i++) {
      expect(chunks[i]!.text.split(' ').slice(-3)).toEqual(chunks[i + 1]!.text.split(' ').slice(0, 3));
    }
    expect(chunks.at(-1)!.text.endsWith('w24')).toBe(true);
  });

  it('makes one chunk when the text fits, and none for no tokens', () => {
    expect(chunkPages([{ page: null, text: numbered(10) }], { size: 10, overlap: 3 })).toHaveLength(1);
    expect(chunkPages([{ page: null, text: '   \n ' }], { size: 10, overlap: 3 })).toEqual([]);
  });

  it('never cuts a multi-byte character or an emoji, and slices on token boundaries', () => {
    const text = 'Überweisung 🙂 口座 café — naïve 手数料は無料です 🏦🏦 end';
    const chunks = chunkPages([{ page: null, text }], { size: 16, overlap: 5 });
    const { count } = tokenOffsets(text);
    expect(count).toBeGreaterThan(16);
    for (const chunk of chunks) {
      expect(text.includes(chunk.text)).toBe(true);
      expect(chunk.text).toBe(chunk.text.trim());
      // No lone surrogate: round-trips through UTF-8 unchanged.
      expect(new TextDecoder().decode(new TextEncoder().encode(chunk.text))).toBe(chunk.text);
    }
    expect(chunks[0]!.text.startsWith('Überweisung 🙂 口座')).toBe(true);
    expect(chunks.at(-1)!.text.endsWith('🏦🏦 end')).toBe(true);
  });

  it('keeps the page of each chunk’s first and last tokens', () => {
    const chunks = chunkPages(
      [
        { page: 1, text: numbered(8) },
        { page: 3, text: numbered(8) },
      ],
      { size: 6, overlap: 2 },
    );
    expect(chunks.map((c) => [c.pageStart, c.pageEnd])).toEqual([[1, 1], [1, 3], [3, 3], [3, 3]]);
    expect(pageLabel(1, 3)).toBe('pp. 1–3');
    expect(pageLabel(2, 2)).toBe('p. 2');
    expect(pageLabel(null, null)).toBe('');
  });

  it('refuses settings that would never move forward', () => {
    expect(chunkSettingsProblem({ size: 100, overlap: 100 })).toMatch(/smaller than the chunk size/);
    expect(chunkSettingsProblem({ size: 4, overlap: 0 })).toMatch(/from 16/);
    expect(chunkSettingsProblem({ size: 512, overlap: 102 })).toBeNull();
    expect(() => chunkPages([{ page: null, text: 'x' }], { size: 20, overlap: 20 })).toThrow(/smaller/);
  });
});

describe('highlightTerms', () => {
  it('marks the question’s words and their stems, not stop words', () => {
    const segments = highlightTerms('Overdrafts cost a fee; the overdraft fees are waived.', 'What is the overdraft fee?');
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(['Overdrafts', 'fee', 'overdraft', 'fees']);
    expect(segments.map((s) => s.text).join('')).toBe('Overdrafts cost a fee; the overdraft fees are waived.');
  });
});
