import type { Migration } from './index';

/**
 * Images kept with runs: what an image-generation arm produced, in order (position), as the
 * bytes themselves, so a run with images opens, exports and travels in a pack offline. The
 * type is checked against the bytes before a row is written (shared/images.ts); rows go with
 * their run (ON DELETE CASCADE). An ordinary rowid table: image rows are large, which a
 * WITHOUT ROWID table handles badly.
 */
export const m0008RunImages: Migration = {
  version: 8,
  name: 'run-images',
  up(db) {
    db.exec(`
      CREATE TABLE run_images (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        arm_index INTEGER NOT NULL CHECK (arm_index >= 0),
        position INTEGER NOT NULL CHECK (position >= 0),
        mime_type TEXT NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/webp')),
        data BLOB NOT NULL CHECK (length(data) > 0),
        created_at INTEGER NOT NULL,
        UNIQUE (run_id, arm_index, position)
      ) STRICT;
    `);
  },
};
