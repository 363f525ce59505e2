/**
 * The fake's text embeddings: a bag of words hashed into the requested dimensions (each word,
 * lower-cased with a plural "s" dropped, adds ±1 to one coordinate), plus a little deterministic
 * noise from the whole text. Texts that share words point the same way, so cosine retrieval over
 * the fake ranks passages by shared vocabulary, as a real model roughly would; the same text
 * always gives the same vector, and different texts differ.
 */
import { createHash } from 'node:crypto';

const NOISE = 0.05;

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word));
}

function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

export function bagOfWordsEmbedding(text: string, dimensions: number, normalize: boolean): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of wordsOf(text)) {
    const h = hash32(word);
    vector[h % dimensions]! += h & 0x80000000 ? -1 : 1;
  }
  let state = hash32(text) || 1;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    vector[i]! += (((state >>> 0) / 0xffffffff) * 2 - 1) * NOISE;
  }
  if (!normalize) return vector;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}
