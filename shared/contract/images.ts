/**
 * Images of image comparisons: fetched by content hash (a thumbnail for the gallery, the full
 * image for the lightbox), saved to a file the user picks, and annotated by a reviewer.
 */
import { z } from 'zod';
import type { AnnotationCategory, ImageAnnotation, ImageMimeType } from '../images';
import { AnnotationCategoryInput } from '../images';
import { channel } from './channel';

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'That is not an image reference Parallax wrote');

export interface ImageBytes {
  mimeType: ImageMimeType;
  base64: string;
}

/** One thumbnail of a batch: its bytes, or why it could not be read (the others still arrive). */
export type ThumbnailResult = ({ hash: string } & ImageBytes) | { hash: string; error: string };

/** The most thumbnails one `images:thumbnails` call carries (a gallery row or two, ~20 KB each). */
export const THUMBNAIL_BATCH = 8;

export const imageChannels = {
  /** Several thumbnails in one round trip, in the order asked (the gallery asks for what it shows). */
  'images:thumbnails': channel(z.object({ hashes: z.array(Hash).min(1).max(THUMBNAIL_BATCH) })).returns<ThumbnailResult[]>(),
  'images:full': channel(z.object({ hash: Hash })).returns<ImageBytes>(),
  /** Asks where to save, then writes the image there; false when the user cancelled. */
  'images:save': channel(z.object({ hash: Hash, name: z.string().trim().min(1).max(200).default('image') })).returns<{ saved: boolean }>(),
  'images:categories': channel(z.object({})).returns<AnnotationCategory[]>(),
  'images:save-category': channel(AnnotationCategoryInput).returns<AnnotationCategory>(),
  'images:delete-category': channel(z.object({ id: z.string().min(1).max(80) })).returns<{ deleted: boolean }>(),
  'images:annotate': channel(
    z.object({
      runId: z.string().min(1).max(100),
      armIndex: z.number().int().min(0).max(15),
      position: z.number().int().min(0).max(1_000),
      categoryId: z.string().min(1).max(80),
      value: z.string().trim().min(1).max(80).nullable(),
    }),
  ).returns<{ ok: true }>(),
  'images:annotations': channel(z.object({ runId: z.string().min(1).max(100) })).returns<ImageAnnotation[]>(),
};
