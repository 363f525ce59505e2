/**
 * Image bytes fetched by content hash.
 *
 * Thumbnails: every tile that asks in the same task joins one `images:thumbnails` call (up to
 * THUMBNAIL_BATCH each), so a 4 × 8 gallery opens with 4 round trips, not 32. They become data:
 * URLs: Chromium decodes the base64 itself, with no copy loop, Blob or object URL on the main
 * thread, and nothing to revoke. An LRU of 256 bounds them while History is browsed.
 *
 * Full images (the lightbox): Blobs, of which at most FULL_IMAGES_KEPT stay cached — the one
 * shown and the one before it, for stepping back. No object URL is made: the lightbox draws the
 * Blob at the size it shows it (see FullPicture), so no 1024² bitmap outlives its showing.
 */
import { THUMBNAIL_BATCH } from '../../../shared/contract/images';
import { api } from '../../lib/api';

export const FULL_IMAGES_KEPT = 2;
const THUMBNAILS_KEPT = 256;

const thumbnails = new Map<string, Promise<string>>();
const fullImages = new Map<string, Promise<Blob>>();

/** Map order is the LRU order: a hit moves the entry to the end. */
function touch<T>(cache: Map<string, Promise<T>>, hash: string): Promise<T> | undefined {
  const cached = cache.get(hash);
  if (cached) {
    cache.delete(hash);
    cache.set(hash, cached);
  }
  return cached;
}

function remember<T>(cache: Map<string, Promise<T>>, limit: number, hash: string, loading: Promise<T>): Promise<T> {
  loading.catch(() => {
    if (cache.get(hash) === loading) cache.delete(hash);
  });
  cache.set(hash, loading);
  while (cache.size > limit) cache.delete(cache.keys().next().value as string);
  return loading;
}

const fromBase64 = (Uint8Array as unknown as { fromBase64?: (base64: string) => Uint8Array<ArrayBuffer> }).fromBase64;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  if (fromBase64) return fromBase64(base64);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let waiting: { hash: string; resolve(url: string): void; reject(error: Error): void }[] = [];

function flushThumbnails(): void {
  const asked = waiting;
  waiting = [];
  for (let start = 0; start < asked.length; start += THUMBNAIL_BATCH) {
    const batch = asked.slice(start, start + THUMBNAIL_BATCH);
    api.call('images:thumbnails', { hashes: batch.map((entry) => entry.hash) }).then(
      (results) => {
        batch.forEach((entry, i) => {
          const result = results[i];
          if (!result) entry.reject(new Error('The thumbnail did not arrive. Reopen the run to try again.'));
          else if ('error' in result) entry.reject(new Error(result.error));
          else entry.resolve(`data:${result.mimeType};base64,${result.base64}`);
        });
      },
      (error: unknown) => batch.forEach((entry) => entry.reject(error instanceof Error ? error : new Error(String(error)))),
    );
  }
}

function loadThumbnail(hash: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (waiting.length === 0) queueMicrotask(flushThumbnails);
    waiting.push({ hash, resolve, reject });
  });
}

/** The thumbnail of a stored image, as a data: URL. */
export function thumbnailUrl(hash: string): Promise<string> {
  return touch(thumbnails, hash) ?? remember(thumbnails, THUMBNAILS_KEPT, hash, loadThumbnail(hash));
}

async function loadFull(hash: string): Promise<Blob> {
  const image = await api.call('images:full', { hash });
  return new Blob([decodeBase64(image.base64)], { type: image.mimeType });
}

/** The stored image itself, byte for byte. */
export function fullImage(hash: string): Promise<Blob> {
  return touch(fullImages, hash) ?? remember(fullImages, FULL_IMAGES_KEPT, hash, loadFull(hash));
}
