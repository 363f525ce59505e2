/**
 * Image bytes fetched by content hash become blob: URLs, kept in a small LRU so a gallery of
 * 32 samples costs 32 thumbnails, not 32 full images, and scrolling History does not grow the
 * renderer without bound. Evicted URLs are revoked.
 */
import { api } from '../../lib/api';

type Size = 'thumbnail' | 'full';

const LIMIT: Record<Size, number> = { thumbnail: 256, full: 3 };
const caches: Record<Size, Map<string, Promise<string>>> = { thumbnail: new Map(), full: new Map() };

function toBlobUrl(mimeType: string, base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mimeType }));
}

export function imageUrl(hash: string, size: Size): Promise<string> {
  const cache = caches[size];
  const cached = cache.get(hash);
  if (cached) {
    cache.delete(hash);
    cache.set(hash, cached);
    return cached;
  }
  const loading = api
    .call(size === 'thumbnail' ? 'images:thumbnail' : 'images:full', { hash })
    .then((image) => toBlobUrl(image.mimeType, image.base64));
  loading.catch(() => cache.delete(hash));
  cache.set(hash, loading);
  while (cache.size > LIMIT[size]) {
    const [oldest, url] = cache.entries().next().value as [string, Promise<string>];
    cache.delete(oldest);
    void url.then((u) => URL.revokeObjectURL(u), () => undefined);
  }
  return loading;
}
