import { AppError } from '../../shared/errors';
import { safeFileName } from '../services/dialogs';
import type { Services } from '../services';
import type { DomainHandlers } from './types';
import { writeFile } from 'node:fs/promises';

const EXTENSION = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

export function imageHandlers(services: Services): DomainHandlers<'images'> {
  const { images, imageFiles, imageAnnotations, dialogs } = services;
  return {
    'images:thumbnails': async ({ hashes }) =>
      Promise.all(
        hashes.map(async (hash) => {
          try {
            const file = images.fileOf(hash);
            const thumb = await imageFiles.readThumbnail(file.hash, file.mimeType);
            return { hash, mimeType: thumb.mimeType, base64: thumb.bytes.toString('base64') };
          } catch (error) {
            // one missing file must not blank the whole row; an unexpected failure still fails the call
            if (error instanceof AppError) return { hash, error: error.message };
            throw error;
          }
        }),
      ),
    'images:full': async ({ hash }) => {
      const file = images.fileOf(hash);
      return { mimeType: file.mimeType, base64: (await imageFiles.read(file.hash, file.mimeType)).toString('base64') };
    },
    'images:save': async ({ hash, name }) => {
      const file = images.fileOf(hash);
      const extension = EXTENSION[file.mimeType];
      const path = await dialogs.chooseSaveFile({
        title: 'Save image',
        defaultName: safeFileName(name, extension),
        filters: [{ name: 'Image', extensions: [extension] }],
      });
      if (!path) return { saved: false };
      await writeFile(path, await imageFiles.read(file.hash, file.mimeType));
      return { saved: true };
    },
    'images:categories': async () => imageAnnotations.categories(),
    'images:save-category': async (input) => imageAnnotations.saveCategory(input),
    'images:delete-category': async ({ id }) => ({ deleted: imageAnnotations.deleteCategory(id) }),
    'images:annotate': async ({ runId, armIndex, position, categoryId, value }) => {
      imageAnnotations.annotate(runId, armIndex, position, categoryId, value);
      return { ok: true };
    },
    'images:annotations': async ({ runId }) => imageAnnotations.forRun(runId),
  };
}
