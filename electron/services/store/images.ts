import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { IMAGE_MIME_TYPES, IMAGE_SAMPLE_STATUSES, type ImageSampleStatus, type RunImage, type RunImageRef } from '../../../shared/images';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { createImageFileStore, type ImageFileStore } from '../images/file-store';
import type { Db } from './db';

const RefRow = z.object({
  arm_index: z.number().int(),
  position: z.number().int(),
  status: z.enum(IMAGE_SAMPLE_STATUSES),
  mime_type: z.enum(IMAGE_MIME_TYPES).nullable(),
  hash: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  seed: z.number().int().nullable(),
  request: z.string().nullable(),
  reason: z.string().nullable(),
});

function parseRequest(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** A sample as exports carry it (see export/bundle.ts ImageRecord). */
export interface ExportedSample {
  armIndex: number;
  status: ImageSampleStatus;
  mimeType: RunImage['mimeType'] | null;
  base64: string | null;
  position: number;
  seed: number | null;
  request: z.core.util.JSONType;
  reason: string | null;
}

const JsonValue = z.json();
function jsonOrNull(value: unknown): z.core.util.JSONType {
  const parsed = JsonValue.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Image files live beside the database, in `images/` of the user-data folder. */
export function imagesDirOf(db: Db): string {
  return db.memory ? join(tmpdir(), 'parallax-images-in-memory') : join(dirname(db.name), 'images');
}

export interface SampleMeta {
  seed?: number | null;
  /** The sample's place in the arm (its seed offset); next free place when omitted. */
  position?: number;
  /** The exact request body the sample came from. */
  request?: unknown;
}

/**
 * Images kept with runs (0008, files since 0012): each sample an arm produced, in order, as a
 * reference to a content-addressed file, or the reason it produced none. All SQL of
 * run_images and image_files is here; the bytes live in the file store.
 */
export function createImageRepo(db: Db, now: () => number = Date.now, files: ImageFileStore = createImageFileStore(imagesDirOf(db))) {
  const nextPosition = `(SELECT COALESCE(MAX(position) + 1, 0) FROM run_images WHERE run_id = @runId AND arm_index = @armIndex)`;
  const insertFile = db.prepare(
    `INSERT INTO image_files (hash, mime_type, byte_length, width, height, created_at)
     VALUES (@hash, @mimeType, @byteLength, @width, @height, @now) ON CONFLICT (hash) DO NOTHING`,
  );
  const insertSample = db.prepare(
    `INSERT INTO run_images (run_id, arm_index, position, status, mime_type, hash, seed, request, reason, created_at)
     VALUES (@runId, @armIndex, COALESCE(@position, ${nextPosition}), @status, @mimeType, @hash, @seed, @request, @reason, @now)`,
  );
  const selectRefs = db.prepare<[string]>(
    `SELECT r.arm_index, r.position, r.status, r.mime_type, r.hash, f.width, f.height, r.seed, r.request, r.reason
     FROM run_images r LEFT JOIN image_files f ON f.hash = r.hash WHERE r.run_id = ? ORDER BY r.arm_index, r.position`,
  );
  const selectLegacy = db.prepare<[number], { rowid: number; data: Buffer }>(
    'SELECT rowid, data FROM run_images WHERE data IS NOT NULL LIMIT ?',
  );
  const selectLegacyOfRun = db.prepare<[string], { rowid: number; data: Buffer }>(
    'SELECT rowid, data FROM run_images WHERE data IS NOT NULL AND run_id = ?',
  );
  const moveLegacy = db.prepare('UPDATE run_images SET hash = ?, data = NULL WHERE rowid = ?');
  const selectFileOfHash = db.prepare<[string], { mime_type: RunImage['mimeType'] }>('SELECT mime_type FROM image_files WHERE hash = ?');
  const selectUnused = db.prepare<[], { hash: string; mime_type: RunImage['mimeType'] }>(
    `SELECT hash, mime_type FROM image_files f WHERE NOT EXISTS (SELECT 1 FROM run_images r WHERE r.hash = f.hash)`,
  );
  const deleteFile = db.prepare('DELETE FROM image_files WHERE hash = ?');
  const selectHashesOfRun = db.prepare<[string], string>('SELECT DISTINCT hash FROM run_images WHERE run_id = ? AND hash IS NOT NULL').pluck();
  const selectUnusedFile = db.prepare<[string], { hash: string; mime_type: RunImage['mimeType'] }>(
    `SELECT hash, mime_type FROM image_files f WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM run_images r WHERE r.hash = f.hash)`,
  );

  function store(bytes: Uint8Array): { hash: string; mimeType: RunImage['mimeType'] } {
    const stored = files.put(bytes);
    insertFile.run({ ...stored, now: now() });
    return stored;
  }

  const moveRows = db.transaction((rows: { rowid: number; data: Buffer }[]) => {
    for (const row of rows) moveLegacy.run(store(row.data).hash, row.rowid);
  });

  const repo = {
    /** Keeps an image an arm produced, after the ones it already has; the bytes decide the type. */
    add(runId: string, armIndex: number, bytes: Uint8Array, meta: SampleMeta = {}): { hash: string; mimeType: RunImage['mimeType'] } {
      const { hash, mimeType } = store(bytes);
      insertSample.run({
        runId, armIndex, position: meta.position ?? null, status: 'ok', mimeType, hash, seed: meta.seed ?? null,
        request: meta.request === undefined ? null : JSON.stringify(meta.request), reason: null, now: now(),
      });
      return { hash, mimeType };
    },

    /** A sample that produced no image, with the reason the person sees in its place. */
    addMissing(runId: string, armIndex: number, status: Exclude<ImageSampleStatus, 'ok'>, reason: string, meta: SampleMeta = {}): void {
      insertSample.run({
        runId, armIndex, position: meta.position ?? null, status, mimeType: null, hash: null, seed: meta.seed ?? null,
        request: meta.request === undefined ? null : JSON.stringify(meta.request), reason, now: now(),
      });
    },

    /** Every sample of a run, by reference (History, the gallery). */
    refsForRun(runId: string): RunImageRef[] {
      const legacy = selectLegacyOfRun.all(runId);
      if (legacy.length > 0) moveRows(legacy);
      return selectRefs.all(runId).map((raw) => {
        const row = RefRow.parse(raw);
        return {
          armIndex: row.arm_index, position: row.position, status: row.status, hash: row.hash, mimeType: row.mime_type,
          width: row.width, height: row.height, seed: row.seed, request: parseRequest(row.request), reason: row.reason,
        };
      });
    },

    /** The images of a run with their bytes (exports and packs carry them). */
    forRun(runId: string): RunImage[] {
      return repo
        .refsForRun(runId)
        .filter((ref): ref is RunImageRef & { hash: string; mimeType: RunImage['mimeType'] } => ref.status === 'ok' && ref.hash !== null && ref.mimeType !== null)
        .map((ref) => ({ armIndex: ref.armIndex, mimeType: ref.mimeType, base64: files.readSync(ref.hash, ref.mimeType).toString('base64') }));
    },

    /**
     * Every sample of a run as exports and packs carry it: the bytes (base64) of each image, and
     * for a filtered or failed sample the reason it has none; with seeds, requests and places.
     */
    samplesForRun(runId: string): ExportedSample[] {
      return repo.refsForRun(runId).map((ref) => {
        const bytes = ref.status === 'ok' && ref.hash !== null && ref.mimeType !== null ? files.readSync(ref.hash, ref.mimeType).toString('base64') : null;
        return {
          armIndex: ref.armIndex, status: ref.status, mimeType: bytes === null ? null : ref.mimeType, base64: bytes,
          position: ref.position, seed: ref.seed, request: jsonOrNull(ref.request), reason: ref.reason,
        };
      });
    },

    /** The stored type of a hash, or a clear not-found. */
    fileOf(hash: string): { hash: string; mimeType: RunImage['mimeType'] } {
      const row = selectFileOfHash.get(hash);
      if (!row) throw new AppError('not_found', 'That image is no longer kept. The run it belonged to may have been deleted.');
      return { hash, mimeType: z.enum(IMAGE_MIME_TYPES).parse(row.mime_type) };
    },

    /** Makes (and keeps) the thumbnail of a stored image ahead of its first showing. */
    async prepareThumbnail(hash: string): Promise<void> {
      const file = repo.fileOf(hash);
      await files.readThumbnail(file.hash, file.mimeType);
    },

    /** Moves up to `limit` images written before 0012 out of SQLite into files; returns how many. */
    moveLegacyBlobs(limit = 200): number {
      const rows = selectLegacy.all(limit);
      if (rows.length > 0) moveRows(rows);
      return rows.length;
    },

    /** The stored images these runs use (read before deleting them, see removeIfUnused). */
    hashesOfRuns(runIds: readonly string[]): string[] {
      const hashes = new Set<string>();
      for (const runId of runIds) for (const hash of selectHashesOfRun.all(runId)) hashes.add(hash);
      return [...hashes];
    },

    /** Removes those of these stored images that no run uses any more; returns how many. */
    removeIfUnused(hashes: readonly string[]): number {
      let removed = 0;
      for (const hash of hashes) {
        const file = selectUnusedFile.get(hash);
        if (!file) continue;
        deleteFile.run(file.hash);
        files.remove(file.hash, file.mime_type);
        removed += 1;
      }
      return removed;
    },

    /** Removes stored images no run uses any more (after runs are deleted); returns how many. */
    collectUnused(): number {
      const unused = selectUnused.all();
      for (const file of unused) {
        deleteFile.run(file.hash);
        files.remove(file.hash, file.mime_type);
      }
      return unused.length;
    },
  };
  return repo;
}

export type ImageRepo = ReturnType<typeof createImageRepo>;
