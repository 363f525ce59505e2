/**
 * The cosine scan's inner loop as a WebAssembly SIMD function: one dot product per stored row
 * against the question, written into a score array. It computes exactly what the plain loop in
 * search.ts computes (each Float32 product taken in double precision, four running sums over
 * j, j+1, j+2, j+3, added as ((s0 + s1) + s2) + s3), two lanes at a time, so the scores and the
 * ranking are bit-for-bit the same; it is only faster (about 4× on one core).
 *
 * The matrix lives in the instance's own memory (the index's Float32Array is a view of it), so a
 * query copies nothing but the question. Where WebAssembly SIMD is missing, or the dimensions are
 * not a multiple of 4, or the memory cannot be had, `createDotKernel` returns null and the caller
 * keeps the plain loop.
 */

const SIMD = 0xfd;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Store: 0x39,
  void: 0x40,
} as const;
// SIMD opcodes (after the 0xfd prefix, LEB128).
const simd = {
  v128Load: [0x00],
  v128Const: [0x0c],
  i8x16Shuffle: [0x0d],
  f64x2ExtractLane: [0x21],
  f64x2PromoteLowF32x4: [0x5f],
  f64x2Add: [0xf0, 0x01],
  f64x2Mul: [0xf2, 0x01],
} as const;

// Parameters: matrix (bytes), query (bytes, Float64), rows, dimensions, out (bytes, Float64).
const [MATRIX, QUERY, ROWS, DIMS, OUT] = [0, 1, 2, 3, 4];
// Locals: row, matrix pointer, query pointer, end of the row (i32); two sums and the loaded floats (v128).
const [ROW, MP, QP, ROW_END, SUM01, SUM23, FLOATS] = [5, 6, 7, 8, 9, 10, 11];

const get = (i: number) => [op.localGet, i];
const set = (i: number) => [op.localSet, i];
const s = (code: readonly number[], ...immediates: number[]) => [SIMD, ...code, ...immediates];
const load = (offset: number) => s(simd.v128Load, 4, offset); // align 2^4, offset (both < 128: one LEB byte)
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

const body = [
  ...get(MATRIX), ...set(MP),
  op.block, op.void,
  op.loop, op.void,
  ...get(ROW), ...get(ROWS), op.i32GeU, op.brIf, 1,
  ...s(simd.v128Const, ...new Array(16).fill(0)), ...set(SUM01),
  ...s(simd.v128Const, ...new Array(16).fill(0)), ...set(SUM23),
  ...get(QUERY), ...set(QP),
  ...get(MP), ...get(DIMS), op.i32Const, 2, op.i32Shl, op.i32Add, ...set(ROW_END),
  op.block, op.void,
  op.loop, op.void,
  ...get(MP), ...get(ROW_END), op.i32GeU, op.brIf, 1,
  ...get(MP), ...load(0), ...set(FLOATS),
  // s0, s1 += m[j] * q[j], m[j+1] * q[j+1]
  ...get(SUM01), ...get(FLOATS), ...s(simd.f64x2PromoteLowF32x4), ...get(QP), ...load(0), ...s(simd.f64x2Mul), ...s(simd.f64x2Add), ...set(SUM01),
  // s2, s3 += m[j+2] * q[j+2], m[j+3] * q[j+3]
  ...get(SUM23), ...get(FLOATS), ...get(FLOATS), ...s(simd.i8x16Shuffle, ...HIGH_HALF), ...s(simd.f64x2PromoteLowF32x4), ...get(QP), ...load(16), ...s(simd.f64x2Mul), ...s(simd.f64x2Add), ...set(SUM23),
  ...get(MP), op.i32Const, 16, op.i32Add, ...set(MP),
  ...get(QP), op.i32Const, 32, op.i32Add, ...set(QP),
  op.br, 0,
  op.end,
  op.end,
  // out[row] = ((s0 + s1) + s2) + s3
  ...get(OUT), ...get(ROW), op.i32Const, 3, op.i32Shl, op.i32Add,
  ...get(SUM01), ...s(simd.f64x2ExtractLane, 0), ...get(SUM01), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  ...get(SUM23), ...s(simd.f64x2ExtractLane, 0), op.f64Add,
  ...get(SUM23), ...s(simd.f64x2ExtractLane, 1), op.f64Add,
  op.f64Store, 3, 0,
  ...get(ROW), op.i32Const, 1, op.i32Add, ...set(ROW),
  op.br, 0,
  op.end,
  op.end,
  op.end,
];

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

const name = (text: string) => [text.length, ...Buffer.from(text, 'utf8')];
const I32 = 0x7f;
const V128 = 0x7b;
const code = [2, 4, I32, 3, V128, ...body]; // local groups: 4 × i32, 3 × v128
const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type: (i32 × 5) -> ()
  ...section(2, [1, ...name('e'), ...name('m'), 0x02, 0x00, 1]), // import memory e.m, min 1 page
  ...section(3, [1, 0]), // one function of type 0
  ...section(7, [1, ...name('scores'), 0x00, 0]), // export it as "scores"
  ...section(10, [1, ...leb(code.length), ...code]),
]);

let compiled: WebAssembly.Module | null | undefined;
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = WebAssembly.validate(MODULE_BYTES) ? new WebAssembly.Module(MODULE_BYTES) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export interface DotKernel {
  /** Where the rows go (row-major, `dimensions` floats each), in the kernel's memory. */
  matrix: Float32Array;
  /** Every row's dot product with `query`, for the first `count` rows (a view reused by the next call). */
  scores(query: Float32Array, count: number): Float64Array;
}

const PAGE = 65_536;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

export function createDotKernel(rows: number, dimensions: number): DotKernel | null {
  if (dimensions % 4 !== 0 || dimensions === 0) return null;
  const module = kernelModule();
  if (!module) return null;
  const matrixBytes = align16(rows * dimensions * 4);
  const queryAt = matrixBytes;
  const outAt = queryAt + align16(dimensions * 8);
  const total = outAt + Math.max(8, rows * 8);
  if (total > 2 ** 31) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(total / PAGE) });
  } catch {
    return null;
  }
  const instance = new WebAssembly.Instance(module, { e: { m: memory } });
  const run = instance.exports.scores as (m: number, q: number, rows: number, d: number, out: number) => void;
  const matrix = new Float32Array(memory.buffer, 0, rows * dimensions);
  const query = new Float64Array(memory.buffer, queryAt, dimensions);
  const out = new Float64Array(memory.buffer, outAt, rows);
  return {
    matrix,
    scores(q: Float32Array, count: number): Float64Array {
      for (let i = 0; i < dimensions; i++) query[i] = q[i]!;
      run(0, queryAt, Math.min(count, rows), dimensions, outAt);
      return out;
    },
  };
}
