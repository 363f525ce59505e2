/**
 * Images kept with runs (image generation arms): the types a run may hold, and a check of the
 * bytes themselves, since a file's claim about its own type is untrusted.
 */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageMimeType = (typeof IMAGE_MIME_TYPES)[number];

/** The largest image a run keeps (decoded bytes). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** An image an arm produced, as the history holds it: base64, ready for a data: URL. */
export interface RunImage {
  armIndex: number;
  mimeType: ImageMimeType;
  base64: string;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

/** The image type the bytes really are (by their signature), or null when they are none of ours. */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const IMAGE_SAMPLE_STATUSES = ['ok', 'filtered', 'failed'] as const;
export type ImageSampleStatus = (typeof IMAGE_SAMPLE_STATUSES)[number];

/**
 * One sample of an image arm as History and the gallery show it: a reference to the stored file
 * (fetched as a thumbnail or in full on demand), or why no image came back.
 */
export interface RunImageRef {
  armIndex: number;
  position: number;
  status: ImageSampleStatus;
  /** Content hash of the stored file; null when no image came back. */
  hash: string | null;
  mimeType: ImageMimeType | null;
  width: number | null;
  height: number | null;
  seed: number | null;
  /** The exact request this sample came from (the model's own body), when known. */
  request: unknown;
  /** The model's filter message, throttling or access problem, for samples without an image. */
  reason: string | null;
}
