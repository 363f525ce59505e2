/**
 * Thumbnails for the gallery: a box-filtered downscale to at most `size` pixels on the long side,
 * encoded as JPEG when the picture is opaque (a photo-like 256 px thumbnail is ~18 KB instead of
 * ~120 KB as PNG, which is what the gallery moves and decodes 32 times when a run opens) and as
 * PNG when it has transparency. PNG and JPEG are decoded in pure JS (pngjs, jpeg-js); other types
 * get none.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageMimeType } from '../../../shared/images';

export interface Decoded {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

function decodePng(bytes: Uint8Array): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    new PNG().parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error, png) => {
      if (error) reject(error);
      else resolve({ width: png.width, height: png.height, data: png.data });
    });
  });
}

export async function decodeImage(bytes: Uint8Array, mimeType: ImageMimeType): Promise<Decoded | null> {
  if (mimeType === 'image/png') return decodePng(bytes);
  if (mimeType === 'image/jpeg') {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { width: image.width, height: image.height, data: image.data };
  }
  return null;
}

/** Averages each box of source pixels into one target pixel (area filter). */
export function downscale(source: Decoded, size: number): Decoded {
  const scale = Math.min(1, size / Math.max(source.width, source.height));
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const y0 = Math.floor((y * source.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * source.height) / height));
    for (let x = 0; x < width; x += 1) {
      const x0 = Math.floor((x * source.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * source.width) / width));
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = y0; sy < y1; sy += 1) {
        let offset = (sy * source.width + x0) * 4;
        for (let sx = x0; sx < x1; sx += 1) {
          r += source.data[offset]!;
          g += source.data[offset + 1]!;
          b += source.data[offset + 2]!;
          a += source.data[offset + 3]!;
          offset += 4;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const target = (y * width + x) * 4;
      data[target] = r / n;
      data[target + 1] = g / n;
      data[target + 2] = b / n;
      data[target + 3] = a / n;
    }
  }
  return { width, height, data };
}

const THUMBNAIL_JPEG_QUALITY = 82;

function isOpaque(image: Decoded): boolean {
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] !== 255) return false;
  return true;
}

/** The thumbnail's bytes: JPEG for an opaque picture, PNG when transparency must survive. */
export function encodeThumbnail(image: Decoded): { mimeType: 'image/jpeg' | 'image/png'; bytes: Buffer } {
  if (!isOpaque(image)) return { mimeType: 'image/png', bytes: encodePng(image) };
  const encoded = jpeg.encode({ data: image.data, width: image.width, height: image.height }, THUMBNAIL_JPEG_QUALITY);
  return { mimeType: 'image/jpeg', bytes: Buffer.from(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength) };
}

export function encodePng(image: Decoded): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}
