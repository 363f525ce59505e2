/** The SIMD cosine scan ranks and scores exactly as the plain loop (the reference) does. */
import { describe, expect, it } from 'vitest';
import { createDotKernel } from '../../../electron/services/rag/dot-kernel';
import { topK, type VectorIndex } from '../../../electron/services/rag/search';
import { normalizeInPlace } from '../../../electron/services/rag/vectors';
import { cosine } from '../../../shared/rag/rank';

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

describe('cosine top-k with the SIMD kernel', () => {
  it.each([[256], [1024]])('gives the same ids and bit-identical scores as the plain loop (%i dimensions)', (d) => {
    const n = 3_000;
    const kernel = createDotKernel(n, d);
    expect(kernel).not.toBeNull();
    const plain = new Float32Array(n * d);
    for (let i = 0; i < plain.length; i++) plain[i] = random() * 2 - 1;
    // a duplicated row makes a tie: both paths keep the earlier row first
    plain.copyWithin(d * 10, d * 20, d * 21);
    for (let row = 0; row < n; row++) normalizeInPlace(plain, row * d, d);
    kernel!.matrix.set(plain);
    const ids = Int32Array.from({ length: n }, (_, i) => 1000 + i);
    const reference: VectorIndex = { key: 'k', generation: 0, dimensions: d, ids, matrix: plain, count: n, kernel: null };
    const fast: VectorIndex = { ...reference, matrix: kernel!.matrix, kernel };
    for (let q = 0; q < 10; q++) {
      const query = Float32Array.from({ length: d }, () => random() - 0.5);
      if (q === 0) query.set(plain.subarray(d * 20, d * 21));
      normalizeInPlace(query);
      const expected = topK(reference, query, 5);
      expect(topK(fast, query, 5)).toEqual(expected);
      // and the order is the cosine order computed by hand
      const byCosine = Array.from({ length: n }, (_, row) => ({ id: ids[row]!, c: cosine(plain.subarray(row * d, (row + 1) * d), query) })).sort((a, b) => b.c - a.c);
      expect(expected.map((r) => r.id).slice(0, 2)).toEqual(byCosine.map((r) => r.id).slice(0, 2));
    }
    expect(topK(fast, Float32Array.from(plain.subarray(d * 20, d * 21)), 2).map((r) => r.id)).toEqual([1010, 1020]);
  });

  it('declines dimensions it cannot scan in fours (the plain loop is used)', () => {
    expect(createDotKernel(10, 6)).toBeNull();
  });
});
