/**
 * Image files by content hash in the user-data folder: `<dir>/<aa>/<sha256>.<ext>` and its
 * thumbnail `<sha256>.thumb.jpg` (`.thumb.png` for a transparent image, and for thumbnails made
 * before thumbnails were JPEG). The same bytes are stored once however many runs hold them.
 * Writes go to a temporary name first and are renamed into place, so a crash never leaves a
 * torn image under its hash.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { MAX_IMAGE_BYTES, sniffImageType, type ImageMimeType } from '../../../shared/images';
import { decodeImage, downscale, encodeThumbnail } from './thumbnail';

export const THUMBNAIL_SIZE = 256;
const HASH = /^[0-9a-f]{64}$/;

const EXTENSIONS: Record<ImageMimeType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export interface StoredImage {
  hash: string;
  mimeType: ImageMimeType;
  byteLength: number;
  width: number | null;
  height: number | null;
}

const missing = () => new AppError('not_found', 'This image file is missing from the Parallax data folder. It may have been deleted by hand.');

/** Width and height from the header alone (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X), no decoding. */
export function imageSize(bytes: Uint8Array, mimeType: ImageMimeType): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (mimeType === 'image/png') return bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
    if (mimeType === 'image/jpeg') {
      let offset = 2;
      while (offset + 9 < bytes.length) {
        if (bytes[offset] !== 0xff) return null;
        const marker = bytes[offset + 1]!;
        const length = view.getUint16(offset + 2);
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
        }
        offset += 2 + length;
      }
      return null;
    }
    const chunk = String.fromCharCode(...bytes.subarray(12, 16));
    if (chunk === 'VP8X') return { width: 1 + (view.getUint32(24, true) & 0xffffff), height: 1 + (view.getUint32(27, true) & 0xffffff) };
    if (chunk === 'VP8L') {
      const bits = view.getUint32(21, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    return null;
  } catch {
    return null;
  }
}

export function createImageFileStore(dir: string) {
  const folderOf = (hash: string) => join(dir, hash.slice(0, 2));
  const pathOf = (hash: string, mimeType: ImageMimeType) => join(folderOf(hash), `${hash}.${EXTENSIONS[mimeType]}`);
  const THUMB_TYPES = ['image/jpeg', 'image/png'] as const;
  const thumbPathOf = (hash: string, mimeType: (typeof THUMB_TYPES)[number]) => join(folderOf(hash), `${hash}.thumb.${EXTENSIONS[mimeType]}`);

  function checkHash(hash: string): void {
    if (!HASH.test(hash)) throw new AppError('bad_input', 'That is not an image reference Parallax wrote.');
  }

  function writeAtomically(path: string, bytes: Uint8Array): void {
    const temporary = `${path}.${randomUUID()}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  }

  return {
    dir,

    /**
     * Checks the bytes and writes them once per content (synchronous, so it can run inside an
     * import's transaction); the thumbnail is made on first request.
     */
    put(bytes: Uint8Array): StoredImage {
      const mimeType = sniffImageType(bytes);
      if (!mimeType) throw new AppError('bad_input', 'That is not a PNG, JPEG or WebP image, so it was not kept.');
      if (bytes.length > MAX_IMAGE_BYTES) throw new AppError('bad_input', `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB, so it was not kept.`);
      const hash = createHash('sha256').update(bytes).digest('hex');
      mkdirSync(folderOf(hash), { recursive: true });
      const path = pathOf(hash, mimeType);
      if (!existsSync(path)) writeAtomically(path, bytes);
      const size = imageSize(bytes, mimeType);
      return { hash, mimeType, byteLength: bytes.length, width: size?.width ?? null, height: size?.height ?? null };
    },

    readSync(hash: string, mimeType: ImageMimeType): Buffer {
      checkHash(hash);
      try {
        return readFileSync(pathOf(hash, mimeType));
      } catch {
        throw missing();
      }
    },

    async read(hash: string, mimeType: ImageMimeType): Promise<Buffer> {
      checkHash(hash);
      try {
        return await readFile(pathOf(hash, mimeType));
      } catch {
        throw missing();
      }
    },

    /** The thumbnail (made and kept on first request), or the image itself when it cannot be decoded. */
    async readThumbnail(hash: string, mimeType: ImageMimeType): Promise<{ mimeType: ImageMimeType; bytes: Buffer }> {
      checkHash(hash);
      for (const thumbType of THUMB_TYPES) {
        try {
          return { mimeType: thumbType, bytes: await readFile(thumbPathOf(hash, thumbType)) };
        } catch {
          // not made yet, or made as the other type
        }
      }
      const original = await this.read(hash, mimeType);
      try {
        const decoded = await decodeImage(original, mimeType);
        if (!decoded || Math.max(decoded.width, decoded.height) <= THUMBNAIL_SIZE) return { mimeType, bytes: original };
        const thumb = encodeThumbnail(downscale(decoded, THUMBNAIL_SIZE));
        writeAtomically(thumbPathOf(hash, thumb.mimeType), thumb.bytes);
        return thumb;
      } catch {
        return { mimeType, bytes: original };
      }
    },

    remove(hash: string, mimeType: ImageMimeType): void {
      checkHash(hash);
      rmSync(pathOf(hash, mimeType), { force: true });
      for (const thumbType of THUMB_TYPES) rmSync(thumbPathOf(hash, thumbType), { force: true });
    },

    exists(hash: string, mimeType: ImageMimeType): boolean {
      return HASH.test(hash) && existsSync(pathOf(hash, mimeType));
    },
  };
}

export type ImageFileStore = ReturnType<typeof createImageFileStore>;
