import type { Migration } from './index';

/**
 * Image comparisons (issue 12). Image bytes move out of SQLite into files named by content hash
 * (electron/services/images/file-store.ts); `image_files` records each stored content once, and
 * `run_images` points at it. Rows written before keep their bytes in `data` until the image
 * service moves them to files (a start-up job), so nothing is lost if that is interrupted.
 * A sample that produced no image (the model's content filter, throttling, access) is a row too,
 * with its reason, so the gallery shows it where the picture would be.
 * Reviewer annotations: what a reviewer perceives in each image, in categories they define.
 */
export const m0012ImageFiles: Migration = {
  version: 12,
  name: 'image-files',
  up(db) {
    db.exec(`
      CREATE TABLE image_files (
        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
        mime_type TEXT NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/webp')),
        byte_length INTEGER NOT NULL CHECK (byte_length > 0),
        width INTEGER,
        height INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE run_images_v12 (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        position INTEGER NOT NULL CHECK (position >= 0),
        status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'filtered', 'failed')),
        mime_type TEXT CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/webp')),
        hash TEXT REFERENCES image_files (hash),
        data BLOB CHECK (data IS NULL OR length(data) > 0),
        seed INTEGER,
        request TEXT,
        reason TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (run_id, arm_index, position),
        CHECK (status <> 'ok' OR (mime_type IS NOT NULL AND (hash IS NOT NULL OR data IS NOT NULL)))
      ) STRICT;
      INSERT INTO run_images_v12 (run_id, arm_index, position, status, mime_type, data, created_at)
        SELECT run_id, arm_index, position, 'ok', mime_type, data, created_at FROM run_images;
      DROP TABLE run_images;
      ALTER TABLE run_images_v12 RENAME TO run_images;
      CREATE INDEX run_images_by_hash ON run_images (hash) WHERE hash IS NOT NULL;

      CREATE TABLE image_annotation_categories (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
        options TEXT NOT NULL,
        position INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE image_annotations (
        run_id TEXT NOT NULL,
        arm_index INTEGER NOT NULL,
        position INTEGER NOT NULL,
        category_id TEXT NOT NULL REFERENCES image_annotation_categories (id) ON DELETE CASCADE,
        value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 80),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, arm_index, position, category_id),
        FOREIGN KEY (run_id, arm_index, position) REFERENCES run_images (run_id, arm_index, position) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
