/**
 * The streaming import: a JSON export or a .parallax pack of any size, read twice as a stream
 * (never held whole). The first pass checks everything — each run against its schema, ids
 * unique, references resolvable — and writes nothing; the second writes the runs in
 * transactions of a few hundred, yielding between them so the window stays responsive. The
 * import stays all-or-nothing: if the second pass fails (a disk error, a run that appeared
 * meanwhile) or is cancelled, what it had written is taken back; if the app is killed half-way,
 * the next start takes it back (the import journal, store/imports.ts). The size cap of the old import is replaced by
 * the scanner's per-run limit, so a 100,000-run history round-trips through one file.
 */
import { createReadStream, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { ImportReport } from '../../../shared/contract/history';
import { Bundle, BundleV1, FORMAT_VERSION, RunRecord, RunRecordV1, type PackRecord } from './bundle';
import { checkImages, checkScoresAndRatings, checkVersion, createBundleWriter, describeIssue, type ImportContext } from './import';
import { BundleScanner } from './scanner';
import { createSearchIndexWriter } from '../store/search-index';
import { breathe, cancelledError, type TransferControl } from './stream';

function bad(message: string, details?: string): AppError {
  return new AppError('bad_input', message, details);
}

/** The bundle's own fields (all but runs), as the current format. */
const HeaderV2 = Bundle.omit({ runs: true });
const HeaderV1 = BundleV1.omit({ runs: true });
type Header = z.infer<typeof HeaderV2>;

const HEADER_FIELDS = new Set(Object.keys(HeaderV2.shape));

/** Runs written per transaction. */
const WRITE_BATCH = 250;

function opening(path: string): { size: number; gzip: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw bad(`Could not open the file: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, String(error));
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw bad('The file is empty (0 bytes). It may not have finished copying.');
    const magic = Buffer.alloc(2);
    readSync(fd, magic, 0, 2, 0);
    return { size, gzip: magic[0] === 0x1f && magic[1] === 0x8b };
  } finally {
    closeSync(fd);
  }
}

/** Streams the file (gunzipped if it is a pack) through a scanner; `progress` gets bytes read. */
async function scan(path: string, gzip: boolean, scanner: BundleScanner, progress: (bytes: number) => void, control: TransferControl): Promise<void> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
  });
  const source = gzip ? file.pipe(createGunzip()) : file;
  try {
    let sinceBreath = 0;
    for await (const chunk of source as AsyncIterable<Buffer>) {
      await scanner.push(chunk);
      progress(read);
      sinceBreath += chunk.length;
      if (sinceBreath >= 4 << 20) {
        sinceBreath = 0;
        await breathe(control, 'Import');
      }
      if (control.signal?.aborted) throw cancelledError('Import');
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/unexpected end/i.test(message)) throw bad('The pack is truncated: its compressed data ends early. Copy it again from the source.', message);
    throw bad(`The pack is damaged: its compressed data could not be read (${message}).`, message);
  } finally {
    file.destroy();
  }
  await scanner.end();
}

export interface StreamImportResult {
  report: ImportReport;
  /** The pack the runs came in, when the file is a pack. */
  pack: PackRecord | null;
  runs: number;
}

/** The header fields came after the runs (not how Parallax writes): check first, then write. */
class HeaderAfterRuns extends Error {}

/** Imports a file as a stream; see the top of this file. */
export async function importStream(context: ImportContext, path: string, control: TransferControl = {}): Promise<StreamImportResult> {
  const { size, gzip } = opening(path);
  try {
    return await importPass(context, path, size, gzip, 'together', control);
  } catch (error) {
    if (!(error instanceof HeaderAfterRuns)) throw error;
    await importPass(context, path, size, gzip, 'check', control);
    return importPass(context, path, size, gzip, 'write', control);
  }
}

/**
 * One read of the file. 'together' (files Parallax wrote: the bundle's own fields come before
 * its runs) checks and writes as it goes, and takes back what it wrote if anything is refused
 * later; 'check' only checks; 'write' writes a file already checked.
 */
async function importPass(
  context: ImportContext,
  path: string,
  size: number,
  gzip: boolean,
  mode: 'together' | 'check' | 'write',
  control: TransferControl,
): Promise<StreamImportResult> {
  const passes = mode === 'together' ? 1 : 2;
  const pass = mode === 'write' ? 1 : 0;
  const progress = (bytes: number) => control.onProgress?.(pass * size + Math.min(bytes, size), passes * size);

  let version: 1 | typeof FORMAT_VERSION | null = null;
  const fields: Record<string, unknown> = {};
  const ids = new Map<string, number>();
  let runCount = 0;
  let header: Header | null = null;
  let packs = new Set<string>();

  const checkRun = (value: unknown, index: number): RunRecord => {
    if (version === null) throw bad('This is not a Parallax export: formatVersion must come before runs at the top level.');
    const parsed = (version === 1 ? RunRecordV1 : RunRecord).safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `runs[${index}].${describeIssue(issue)}`.replace(`runs[${index}].(top level)`, `runs[${index}]`));
      const more = issues.length > 3 ? ` (and ${issues.length - 3} more problems)` : '';
      throw bad(`The file does not match the Parallax export format: ${issues.slice(0, 3).join('; ')}${more}.`, issues.join('\n'));
    }
    const run: RunRecord = version === 1 ? { ...(parsed.data as RunRecordV1), scores: [], armRatings: [], runRating: null } : (parsed.data as RunRecord);
    run.arms.forEach((arm, armIndex) => {
      if (arm.index !== armIndex) throw bad(`runs[${index}].arms[${armIndex}].index: expected ${armIndex}, got ${arm.index}.`);
    });
    checkScoresAndRatings(run, `runs[${index}]`);
    checkImages(run, `runs[${index}]`);
    const earlier = ids.get(run.id);
    if (earlier !== undefined) throw bad(`runs[${index}].id: the run "${run.id}" appears twice in the file (also at runs[${earlier}]).`);
    ids.set(run.id, index);
    return run;
  };

  const readHeader = (): Header => {
    if (version === null) throw bad('This is not a Parallax export: formatVersion is missing at the top level.');
    const parsed = (version === 1 ? HeaderV1 : HeaderV2).safeParse({ ...fields, formatVersion: version });
    if (!parsed.success) {
      const issues = parsed.error.issues.map(describeIssue);
      throw bad(`The file does not match the Parallax export format: ${issues.slice(0, 3).join('; ')}.`, issues.join('\n'));
    }
    const value = parsed.data as Header;
    if (value.kind === 'pack' && value.pack === null) throw bad('pack: a workshop pack must describe itself (title, author, date).');
    return value;
  };

  const writes = mode !== 'check';
  const writer = writes ? createBundleWriter(context, { source: path }) : null;
  const { db } = context;
  let batch: { run: RunRecord; index: number }[] = [];
  // One transaction per batch, the batch's runs indexed for search in one statement.
  const searchIndex = writes ? createSearchIndexWriter(db) : null;
  const flush = (runs: { run: RunRecord; index: number }[]) =>
    searchIndex!.deferred((added) => {
      for (const { run, index } of runs) {
        if (writer!.run(run, index, header!.kind === 'pack' ? header!.pack!.id : run.packId)) added(run.id);
      }
    });
  const startWriting = () => {
    header = readHeader();
    packs = new Set(header.packs.map((p) => p.id));
    if (writer) db.transaction(() => writer.header(header!))();
  };

  try {
    await scan(
      path,
      gzip,
      new BundleScanner({
        field(key, value) {
          if (key === 'formatVersion') version = checkVersion({ formatVersion: value });
          if (!HEADER_FIELDS.has(key)) return;
          if (header !== null && mode === 'together') throw new HeaderAfterRuns();
          fields[key] = value;
        },
        async run(value, index) {
          if (header === null) {
            if (mode === 'together' && [...HEADER_FIELDS].some((key) => key !== 'formatVersion' && !(key in fields) && !HeaderV2.shape[key as keyof typeof HeaderV2.shape].safeParse(undefined).success)) {
              throw new HeaderAfterRuns();
            }
            startWriting();
          }
          const run = checkRun(value, index);
          if (run.packId !== null && !packs.has(run.packId)) throw bad(`runs[${index}].packId: refers to pack "${run.packId}", which is not described in packs.`);
          runCount += 1;
          if (!writer) return;
          batch.push({ run, index });
          if (batch.length >= WRITE_BATCH) {
            flush(batch);
            batch = [];
            await breathe(control, 'Import');
          }
        },
      }),
      progress,
      control,
    );
    if (header === null) startWriting();
    if (writer) {
      flush(batch);
      // The last write: the collections, and the journal forgets the import (it is whole now).
      db.transaction(() => {
        writer.collections(header!.collections);
        writer.finish();
      })();
    }
  } catch (error) {
    await writer?.takeBack();
    throw error;
  }
  control.onProgress?.(passes * size, passes * size);
  return { report: writer?.report ?? { imported: 0, skipped: 0, skippedRuns: [], experiments: 0, pack: null }, pack: (header as Header | null)?.pack ?? null, runs: runCount };
}
