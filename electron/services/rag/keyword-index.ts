/**
 * Keyword search (BM25) from an in-memory inverted index per corpus, giving exactly the scores
 * and ranking of FTS5's bm25() over corpus_chunks_fts (migration 0011), at a fraction of the
 * cost: FTS5 spends ~0.5 µs per matching row scoring (position lists, a docsize lookup), which
 * at 20,000 chunks and common words is 10–25 ms a query; the index scores a term's postings in
 * a tight loop.
 *
 * Exact by construction, not by imitation:
 * - Tokens come from FTS5 itself. Text is cut only at characters FTS5's unicode61 tokenizer
 *   always treats as separators (whitespace, ASCII other than letters and digits); each distinct
 *   piece is run once through a TEMP FTS5 table with the same tokenizer (read back with
 *   fts5vocab), so folding, diacritics and Porter stemming are FTS5's own.
 * - The statistics that span every corpus (row count, total tokens, rows holding each term) are
 *   read from the FTS5 index at query time; the idf's logarithm is SQLite's ln() (the same libm
 *   log FTS5 calls); the score is FTS5's formula with its constants, in its order of operations.
 * - A question term FTS5 would read as a phrase of several tokens ("don't") is left to the FTS5
 *   query (positions are not kept here); so is a schema without the keyword table.
 *
 * The index is built lazily on the first keyword query after a change to the corpus (the
 * service bumps its generation), in slices that yield to the event loop.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../store/db';

/** Runs of characters FTS5's unicode61 never splits on lie between these. */
// eslint-disable-next-line no-control-regex -- FTS5's separators include the ASCII control characters
const PIECE = /[^\s\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/g;
const K1 = 1.2;
const B = 0.75;
const BUILD_SLICE = 500;

/** Term strings as FTS5 indexes them, shared by every corpus index of one connection. */
export interface Lexicon {
  /** FTS5's tokens of each piece, as term ids (usually one). */
  termsOf(pieces: Iterable<string>): void;
  piece(piece: string): Int32Array | undefined;
  /** FTS5's tokens of one string (a question term), as term strings. */
  tokenize(text: string): string[];
  id(term: string): number | undefined;
  readonly size: number;
}

export interface KeywordIndex {
  generation: number;
  /** Chunk id of each document slot. */
  chunkIds: Int32Array;
  /** Tokens in each chunk (FTS5's docsize). */
  lengths: Float64Array;
  /** Per term id: the slots holding it and how often. */
  postings: Map<number, { slots: Int32Array; counts: Int32Array }>;
}

function tokenizerOf(db: Db): string | null {
  const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'corpus_chunks_fts'").pluck().get();
  if (typeof sql !== 'string') return null;
  return /tokenize\s*=\s*'((?:[^']|'')*)'/i.exec(sql)?.[1]?.replace(/''/g, "'") ?? '';
}

export function createLexicon(db: Db): Lexicon | null {
  const tokenizer = tokenizerOf(db);
  if (tokenizer === null) return null;
  const option = tokenizer ? `, tokenize = '${tokenizer.replace(/'/g, "''")}'` : '';
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.parallax_keyword_tokens USING fts5 (text, content = ''${option});
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.parallax_keyword_tokens_vocab USING fts5vocab (temp, parallax_keyword_tokens, instance);
  `);
  const insert = db.prepare('INSERT INTO temp.parallax_keyword_tokens (rowid, text) VALUES (?, ?)');
  const read = db.prepare('SELECT doc, term FROM temp.parallax_keyword_tokens_vocab ORDER BY doc, offset').raw();
  const clear = db.prepare("INSERT INTO temp.parallax_keyword_tokens (parallax_keyword_tokens) VALUES ('delete-all')");
  const ids = new Map<string, number>();
  const pieces = new Map<string, Int32Array>();
  const idOf = (term: string) => {
    let id = ids.get(term);
    if (id === undefined) {
      id = ids.size;
      ids.set(term, id);
    }
    return id;
  };
  const run = db.transaction((texts: readonly string[]): string[][] => {
    texts.forEach((text, index) => insert.run(index + 1, text));
    const out: string[][] = texts.map(() => []);
    for (const [doc, term] of read.iterate() as Iterable<[number, string]>) out[doc - 1]!.push(term);
    clear.run();
    return out;
  });
  return {
    termsOf(candidates) {
      const unknown: string[] = [];
      for (const piece of candidates) if (!pieces.has(piece)) unknown.push(piece);
      if (unknown.length === 0) return;
      const tokens = run(unknown);
      unknown.forEach((piece, index) => pieces.set(piece, Int32Array.from(tokens[index]!, idOf)));
    },
    piece: (piece) => pieces.get(piece),
    tokenize: (text) => run([text])[0]!,
    id: (term) => ids.get(term),
    get size() {
      return ids.size;
    },
  };
}

/**
 * Builds a corpus's index from its chunks (id order), yielding between slices. With `base`, the
 * chunks are ones added after it (higher ids, nothing of it changed): they are appended to a copy
 * of it (`base` itself is left as it is).
 */
export async function buildKeywordIndex(lexicon: Lexicon, chunks: () => Iterable<{ id: number; text: string }>, generation: number, base?: KeywordIndex): Promise<KeywordIndex> {
  const chunkIds: number[] = base ? Array.from(base.chunkIds) : [];
  const lengths: number[] = base ? Array.from(base.lengths) : [];
  // Per term id: slots and counts, grown by doubling (a base's lists are full: the first append copies).
  const slotsOf: Int32Array[] = [];
  const countsOf: Int32Array[] = [];
  const sizes: number[] = [];
  if (base) {
    for (const [term, list] of base.postings) {
      while (sizes.length <= term) {
        sizes.push(0);
        slotsOf.push(new Int32Array(4));
        countsOf.push(new Int32Array(4));
      }
      slotsOf[term] = list.slots;
      countsOf[term] = list.counts;
      sizes[term] = list.slots.length;
    }
  }
  let counts = new Int32Array(1024);
  let touched = new Int32Array(4096);
  const add = (slot: number, terms: readonly Int32Array[]) => {
    let distinct = 0;
    let length = 0;
    for (const list of terms) {
      length += list.length;
      for (let i = 0; i < list.length; i++) {
        const term = list[i]!;
        if (term >= counts.length) {
          const grown = new Int32Array(Math.max(counts.length * 2, term + 1));
          grown.set(counts);
          counts = grown;
        }
        const seen = counts[term]!;
        if (seen === 0) {
          if (distinct === touched.length) {
            const grown = new Int32Array(touched.length * 2);
            grown.set(touched);
            touched = grown;
          }
          touched[distinct++] = term;
        }
        counts[term] = seen + 1;
      }
    }
    for (let t = 0; t < distinct; t++) {
      const term = touched[t]!;
      let n = sizes[term];
      if (n === undefined) {
        while (sizes.length <= term) {
          sizes.push(0);
          slotsOf.push(new Int32Array(4));
          countsOf.push(new Int32Array(4));
        }
        n = 0;
      }
      if (n === slotsOf[term]!.length) {
        const slots = new Int32Array(Math.max(4, n * 2));
        slots.set(slotsOf[term]!);
        slotsOf[term] = slots;
        const tf = new Int32Array(Math.max(4, n * 2));
        tf.set(countsOf[term]!);
        countsOf[term] = tf;
      }
      slotsOf[term]![n] = slot;
      countsOf[term]![n] = counts[term]!;
      sizes[term] = n + 1;
      counts[term] = 0;
    }
    lengths.push(length);
  };
  let slice: { id: number; pieces: string[] }[] = [];
  const flush = () => {
    const unknown = new Set<string>();
    const resolved = slice.map((chunk) => {
      const out: (Int32Array | undefined)[] = new Array(chunk.pieces.length);
      chunk.pieces.forEach((piece, i) => {
        const terms = lexicon.piece(piece);
        if (terms === undefined) unknown.add(piece);
        out[i] = terms;
      });
      return out;
    });
    if (unknown.size > 0) {
      lexicon.termsOf(unknown);
      slice.forEach((chunk, c) => {
        const out = resolved[c]!;
        for (let i = 0; i < out.length; i++) if (out[i] === undefined) out[i] = lexicon.piece(chunk.pieces[i]!)!;
      });
    }
    slice.forEach((chunk, c) => {
      chunkIds.push(chunk.id);
      add(chunkIds.length - 1, resolved[c] as Int32Array[]);
    });
    slice = [];
  };
  for (const chunk of chunks()) {
    slice.push({ id: chunk.id, pieces: chunk.text.match(PIECE) ?? [] });
    if (slice.length === BUILD_SLICE) {
      flush();
      await yieldToEventLoop();
    }
  }
  flush();
  const postings = new Map<number, { slots: Int32Array; counts: Int32Array }>();
  sizes.forEach((n, term) => {
    if (n > 0) postings.set(term, { slots: slotsOf[term]!.subarray(0, n), counts: countsOf[term]!.subarray(0, n) });
  });
  return { generation, chunkIds: Int32Array.from(chunkIds), lengths: Float64Array.from(lengths), postings };
}

/** SQLite varint (FTS5's record format): value and bytes read. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[at + i]!;
    if (i === 8) return [value * 256 + byte, 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  return [value, 9];
}

export interface KeywordStats {
  /** Rows and tokens in the whole keyword table (every corpus), as bm25() sees them. */
  rows: number;
  tokens: number;
  /** For each phrase: rows holding it and its idf. */
  idf(phrase: string): number;
}

/** Reads FTS5's own statistics for bm25(): its averages record and per-phrase row counts. */
export function createKeywordStats(db: Db): () => KeywordStats | null {
  const averages = db.prepare("SELECT block FROM corpus_chunks_fts_data WHERE id = 1").pluck();
  const idf = db.prepare(
    `SELECT ln((? - hits + 0.5) / (hits + 0.5)) FROM (SELECT count(*) AS hits FROM corpus_chunks_fts WHERE corpus_chunks_fts MATCH ?)`,
  ).pluck();
  return () => {
    const block = averages.get();
    if (!(block instanceof Uint8Array) || block.byteLength < 2) return null;
    const [rows, used] = varint(block, 0);
    const [tokens] = varint(block, used);
    if (rows === 0) return null;
    return {
      rows,
      tokens,
      idf(phrase: string): number {
        const value = idf.get(rows, phrase);
        // bm25(): "if( idf<=0.0 ) idf = 1e-6;" (a term in more than half the rows).
        return typeof value === 'number' && value > 0 ? value : 1e-6;
      },
    };
  };
}

/**
 * The k best chunks for the question's phrases (one term id each, in the MATCH expression's
 * order, with that expression's quoted text for the row count), best first; equal scores by
 * chunk id.
 */
export function scoreKeywords(index: KeywordIndex, phrases: readonly { term: number; quoted: string }[], stats: KeywordStats, k: number): { id: number; score: number }[] {
  const avgdl = stats.tokens / stats.rows;
  const scores = new Float64Array(index.chunkIds.length);
  const seen = new Uint8Array(index.chunkIds.length);
  const matched: number[] = [];
  for (const phrase of phrases) {
    const list = index.postings.get(phrase.term);
    if (!list) continue;
    const idf = stats.idf(phrase.quoted);
    const { slots, counts } = list;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const f = counts[i]!;
      const d = index.lengths[slot]!;
      // fts5Bm25Function, term for term: idf * ((f * (k1 + 1)) / (f + k1 * (1 - b + b * D / avgdl)))
      scores[slot] = scores[slot]! + idf * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * d) / avgdl)));
      if (seen[slot] === 0) {
        seen[slot] = 1;
        matched.push(slot);
      }
    }
  }
  const best: number[] = [];
  const better = (a: number, b: number) => scores[a]! > scores[b]! || (scores[a] === scores[b] && index.chunkIds[a]! < index.chunkIds[b]!);
  for (const slot of matched) {
    if (best.length === k && !better(slot, best[k - 1]!)) continue;
    let at = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(slot);
    while (at > 0 && better(slot, best[at - 1]!)) {
      best[at] = best[at - 1]!;
      at -= 1;
    }
    best[at] = slot;
  }
  return best.map((slot) => ({ id: index.chunkIds[slot]!, score: scores[slot]! }));
}
