/** Ranking helpers shared by the retrieval service and its tests. */

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The constant of reciprocal rank fusion (Cormack et al.): score = Σ 1 / (RRF_K + rank). */
export const RRF_K = 60;

/** Fuses ranked id lists (best first): ids ranked high in several lists come first. */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], k = RRF_K): { id: T; score: number }[] {
  const scores = new Map<T, number>();
  for (const list of lists) {
    list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/** Hit rate and reciprocal rank of one question: is the expected source among the retrieved, and how high. */
export function retrievalHit(retrievedSources: readonly string[], expected: string): { hit: boolean; reciprocalRank: number } {
  const wanted = expected.trim().toLowerCase();
  const index = retrievedSources.findIndex((source) => {
    const name = source.trim().toLowerCase();
    return name === wanted || name.replace(/\.[a-z0-9]+$/, '') === wanted.replace(/\.[a-z0-9]+$/, '');
  });
  return { hit: index >= 0, reciprocalRank: index >= 0 ? 1 / (index + 1) : 0 };
}
