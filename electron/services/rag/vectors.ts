/** Vectors as stored: Float32, little-endian, one BLOB per chunk. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function encodeVector(vector: ArrayLike<number>): Buffer {
  const floats = Float32Array.from(vector as ArrayLike<number>);
  if (LITTLE_ENDIAN) return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
  const out = Buffer.alloc(floats.length * 4);
  floats.forEach((value, index) => out.writeFloatLE(value, index * 4));
  return out;
}

/** Copies a stored vector into `target` at `offset` (floats); returns false when its length is wrong. */
export function decodeVectorInto(blob: Uint8Array, target: Float32Array, offset: number, dimensions: number): boolean {
  if (blob.byteLength !== dimensions * 4) return false;
  if (LITTLE_ENDIAN) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 4, dimensions * 4).set(blob);
  } else {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i < dimensions; i++) target[offset + i] = view.getFloat32(i * 4, true);
  }
  return true;
}

export function decodeVector(blob: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(blob.byteLength / 4));
  decodeVectorInto(blob, out, 0, out.length);
  return out;
}

/** Scales to unit length in place (cosine then is a dot product); zero vectors stay zero. */
export function normalizeInPlace(values: Float32Array, offset = 0, length = values.length): void {
  let sum = 0;
  for (let i = offset; i < offset + length; i++) sum += values[i]! * values[i]!;
  if (sum === 0) return;
  const scale = 1 / Math.sqrt(sum);
  for (let i = offset; i < offset + length; i++) values[i] = values[i]! * scale;
}

/** The model and dimensions a vector was made with; a chunk is embedded for its corpus when they match. */
export function vectorKey(modelId: string, dimensions: number): string {
  return `${modelId}@${dimensions}`;
}
