/**
 * Retrieval over one corpus: cosine top-k over the stored vectors (held in memory as one
 * Float32Array per corpus once loaded, rows unit length so cosine is a dot product, scanned by a
 * WebAssembly SIMD kernel that gives the plain loop's exact scores), BM25 (keyword-index.ts, with
 * the FTS5 query as reference and fallback), and hybrid by reciprocal rank fusion of the two.
 */
import { queryTerms } from '../../../shared/rag/tokens';
import { createDotKernel, type DotKernel } from './dot-kernel';
import type { CorpusRepo } from './repo';
import { decodeVectorInto, normalizeInPlace } from './vectors';

export interface VectorIndex {
  key: string;
  generation: number;
  dimensions: number;
  ids: Int32Array;
  matrix: Float32Array;
  count: number;
  /** The SIMD scan over `matrix` (null: the plain loop). */
  kernel: DotKernel | null;
}

export function loadVectorIndex(repo: CorpusRepo, corpusId: string, key: string, dimensions: number, generation: number, options: { simd?: boolean } = {}): VectorIndex {
  const expected = repo.vectorCount(corpusId, key);
  const ids = new Int32Array(expected);
  const kernel = options.simd === false ? null : createDotKernel(expected, dimensions);
  const matrix = kernel?.matrix ?? new Float32Array(expected * dimensions);
  let count = 0;
  for (const { id, vector } of repo.vectors(corpusId, key)) {
    if (count === expected) break;
    if (!decodeVectorInto(vector, matrix, count * dimensions, dimensions)) continue; // a vector of the wrong length is skipped, never misread
    normalizeInPlace(matrix, count * dimensions, dimensions);
    ids[count] = id;
    count += 1;
  }
  return { key, generation, dimensions, ids, matrix, count, kernel };
}

/** The k best rows by dot product with `query` (unit length), best first; ties keep row order. */
export function topK(index: VectorIndex, query: Float32Array, k: number): { id: number; score: number }[] {
  const { count, ids } = index;
  const bestScores = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  const bestRows = new Int32Array(k).fill(-1);
  let floor = Number.NEGATIVE_INFINITY;
  const scores = index.kernel ? index.kernel.scores(query, count) : null;
  for (let row = 0; row < count; row++) {
    const score = scores ? scores[row]! : rowDot(index, row, query);
    if (score <= floor) continue;
    let at = k - 1;
    while (at > 0 && bestScores[at - 1]! < score) {
      bestScores[at] = bestScores[at - 1]!;
      bestRows[at] = bestRows[at - 1]!;
      at -= 1;
    }
    bestScores[at] = score;
    bestRows[at] = row;
    floor = bestScores[k - 1]!;
  }
  const out: { id: number; score: number }[] = [];
  for (let i = 0; i < k; i++) if (bestRows[i]! >= 0) out.push({ id: ids[bestRows[i]!]!, score: bestScores[i]! });
  return out;
}

/** One row's dot product with the query: the reference the SIMD kernel matches exactly. */
function rowDot(index: VectorIndex, row: number, query: Float32Array): number {
  const { matrix, dimensions: d } = index;
  const tail = d - (d % 4);
  const offset = row * d;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  for (let j = 0; j < tail; j += 4) {
    a0 += matrix[offset + j]! * query[j]!;
    a1 += matrix[offset + j + 1]! * query[j + 1]!;
    a2 += matrix[offset + j + 2]! * query[j + 2]!;
    a3 += matrix[offset + j + 3]! * query[j + 3]!;
  }
  for (let j = tail; j < d; j++) a0 += matrix[offset + j]! * query[j]!;
  return a0 + a1 + a2 + a3;
}

/** The question's terms as keyword search uses them: each must hold a letter or a digit. */
export function matchTerms(question: string): string[] {
  return queryTerms(question).filter((term) => /[\p{L}\p{N}]/u.test(term));
}

/** A term quoted for an FTS5 MATCH expression (so no term is read as syntax). */
export function quoteTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** An FTS5 MATCH expression of the question's terms, each quoted, joined by OR. */
export function matchExpression(question: string): string | null {
  const terms = matchTerms(question);
  if (terms.length === 0) return null;
  return terms.map(quoteTerm).join(' OR ');
}
