/**
 * Workshop packs: one `.parallax` file (gzip'd JSON in the export format, kind 'pack') holding
 * runs, lab metadata, title, author, date and the models used. A trainee imports it and browses
 * the runs offline like their own; imported runs point at their pack (runs.source_pack_id).
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Db } from '../store';
import { readBundle, type Bundle } from '../export/bundle';
import { writeFileAtomic } from '../export/files';
import { streamExport, type TransferControl } from '../export/stream';

export const PACK_EXTENSION = 'parallax';

export interface PackDetails {
  title: string;
  author: string;
  description: string;
}

/** The record that describes a pack (its id is new unless given). */
export function packRecord(details: PackDetails, createdAt: number, id: string = randomUUID()) {
  return { id, title: details.title, author: details.author, description: details.description, createdAt };
}

export function buildPack(db: Db, runIds: readonly string[], details: PackDetails, options: { version: string; now: number; id?: string }): Bundle {
  return readBundle(db, runIds, {
    kind: 'pack',
    version: options.version,
    now: options.now,
    pack: packRecord(details, options.now, options.id),
  });
}

export function encodePack(bundle: Bundle): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(bundle), 'utf8'), { level: 6 });
}

/** Builds and writes a pack; returns the number of runs in it. */
export function writePack(db: Db, path: string, runIds: readonly string[], details: PackDetails, options: { version: string; now: number }): number {
  const bundle = buildPack(db, runIds, details, options);
  writeFileAtomic(path, encodePack(bundle));
  return bundle.runs.length;
}

/** Writes a pack as a stream (any number of runs, bounded memory); returns the number of runs in it. */
export function writePackStream(
  db: Db,
  path: string,
  runIds: readonly string[],
  details: PackDetails,
  options: { version: string; now: number; id?: string },
  control: TransferControl = {},
): Promise<number> {
  return streamExport(
    {
      db,
      runIds,
      format: 'pack',
      path,
      title: details.title,
      version: options.version,
      now: options.now,
      pack: packRecord(details, options.now, options.id),
    },
    control,
  );
}
