import { MAX_IMAGE_BYTES, sniffImageType, type RunImage } from '../../../shared/images';
import { AppError } from '../../../shared/errors';
import type { Db } from './db';

/** Images kept with runs (migration 0008): added per arm in order, read back per run. */
export function createImageRepo(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(
    `INSERT INTO run_images (run_id, arm_index, position, mime_type, data, created_at)
     VALUES (?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM run_images WHERE run_id = ? AND arm_index = ?), ?, ?, ?)`,
  );
  const select = db.prepare<[string], { arm_index: number; mime_type: RunImage['mimeType']; data: Buffer }>(
    'SELECT arm_index, mime_type, data FROM run_images WHERE run_id = ? ORDER BY arm_index, position',
  );

  return {
    /** Keeps an image an arm produced, after the next ones it already has; the bytes decide the type. */
    add(runId: string, armIndex: number, bytes: Uint8Array): RunImage['mimeType'] {
      const mimeType = sniffImageType(bytes);
      if (!mimeType) throw new AppError('bad_input', 'That is not a PNG, JPEG or WebP image, so it was not kept.');
      if (bytes.length > MAX_IMAGE_BYTES) throw new AppError('bad_input', `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB, so it was not kept.`);
      insert.run(runId, armIndex, runId, armIndex, mimeType, Buffer.from(bytes), now());
      return mimeType;
    },

    forRun(runId: string): RunImage[] {
      return select.all(runId).map((row) => ({ armIndex: row.arm_index, mimeType: row.mime_type, base64: row.data.toString('base64') }));
    },
  };
}

export type ImageRepo = ReturnType<typeof createImageRepo>;
