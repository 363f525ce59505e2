/**
 * Exports written as streams: runs are read from the database one at a time and their text is
 * written to the file in ~1 MB pieces, so an export of any size holds one run (plus one piece of
 * output) in memory. Between batches of runs the work yields to the event loop, reports
 * progress and checks for cancellation, so a 100,000-run export never blocks the main process
 * for long. The file appears under its real name only when complete (temp file, then rename);
 * a cancelled or failed export leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { AppError } from '../../../shared/errors';
import type { ExportFormat } from '../../../shared/contract/history';
import type { Db } from '../store';
import { createRecordReader, readBundleHeader, type BundleHeader, type PackRecord, type RecordKind, type RunRecord } from './bundle';
import { csvHeader, csvRunRows, scoreColumnsOf, type ScoreLookup } from './csv';
import { AUTO_DIFF_RUNS, HTML_END, HTML_INDEX_END, HTML_INDEX_START, htmlIndexRow, htmlStart, runHtml } from './html';
import { readReportLabels } from './labels';
import { markdownHeader, markdownRun } from './markdown';

/** What a long transfer reports and how it is stopped. */
export interface TransferControl {
  signal?: AbortSignal;
  /** Called between batches: runs done so far of the total. */
  onProgress?(done: number, total: number): void;
}

export function cancelledError(what: string): AppError {
  return new AppError('cancelled', `${what} cancelled. Nothing was saved.`);
}

/** Lets other work (IPC, the runner's writes) run between batches; throws if cancelled. */
export async function breathe(control: TransferControl, what: string): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (control.signal?.aborted) throw cancelledError(what);
}

const FLUSH_BYTES = 1 << 20;

/** Text written to `path` in ~1 MB pieces, gzip'd if asked; visible under its name only after close(). */
export class FileSink {
  private readonly temp: string;
  private readonly file: WriteStream;
  private readonly gzip: Gzip | null;
  private readonly input: Writable;
  private pending: string[] = [];
  private pendingLength = 0;
  private failure: Error | null = null;

  constructor(
    private readonly path: string,
    options: { gzip?: boolean } = {},
  ) {
    this.temp = `${path}.${randomBytes(4).toString('hex')}.partial`;
    this.file = createWriteStream(this.temp);
    this.gzip = options.gzip ? createGzip({ level: 6 }) : null;
    if (this.gzip) this.gzip.pipe(this.file);
    this.input = this.gzip ?? this.file;
    const fail = (error: Error) => {
      this.failure ??= error;
    };
    this.file.on('error', fail);
    this.gzip?.on('error', fail);
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.input.write(data, 'utf8')) await new Promise<void>((resolve) => this.input.once('drain', () => resolve()));
    if (this.failure) throw this.failure;
  }

  /** Finishes the file and gives it its name; returns its size in bytes. */
  async close(): Promise<number> {
    try {
      await this.flush();
      await new Promise<void>((resolve, reject) => {
        this.file.once('finish', () => resolve());
        this.file.once('error', reject);
        this.input.end();
      });
      if (this.failure) throw this.failure;
      await rename(this.temp, this.path);
      return this.file.bytesWritten;
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  async abort(): Promise<void> {
    this.gzip?.destroy();
    await new Promise<void>((resolve) => {
      if (this.file.closed) resolve();
      else this.file.destroy().once('close', () => resolve());
    });
    await rm(this.temp, { force: true });
  }
}

export interface StreamExportOptions {
  db: Db;
  runIds: readonly string[];
  format: ExportFormat | 'pack';
  path: string;
  title: string;
  version: string;
  now: number;
  scores?: ScoreLookup;
  collectionIds?: string[];
  /** For a pack: its title, author and date. */
  pack?: Omit<PackRecord, 'labIds' | 'models' | 'techniques'>;
  /** HTML only: word differences per run (default: only for reports of up to AUTO_DIFF_RUNS runs). */
  diffs?: boolean;
}

/** Runs per batch between breaths. */
const BATCH = 100;

/**
 * JSON text of a record with bidi and zero-width characters written as \u escapes: the same
 * string to a JSON reader (lossless), visible to a person reading the file.
 */
export function jsonVisible(value: unknown): string {
  return JSON.stringify(value).replace(/[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes the runs in this format; returns how many were written. */
export async function streamExport(options: StreamExportOptions, control: TransferControl = {}): Promise<number> {
  const { db, runIds, format } = options;
  const kind: RecordKind = format === 'pack' ? 'pack' : 'runs';
  const what = format === 'pack' ? 'Pack export' : 'Export';
  const read = createRecordReader(db, kind);
  const readBatch = db.transaction((start: number, end: number) => {
    const runs: (RunRecord | undefined)[] = [];
    for (let position = start; position < end; position += 1) runs.push(read(runIds[position]!));
    return runs;
  });
  const header: BundleHeader = readBundleHeader(db, runIds, {
    kind,
    version: options.version,
    now: options.now,
    collectionIds: options.collectionIds,
    pack: options.pack,
  });
  const total = runIds.length;
  const labels = format === 'json' || format === 'pack' ? {} : readReportLabels(db);
  const sink = new FileSink(options.path, { gzip: format === 'pack' });
  let written = 0;
  try {
    control.onProgress?.(0, total);
    /** Each run in order, with its position in runIds (runs deleted meanwhile are left out). */
    const eachRun = async (write: (run: RunRecord, position: number, first: boolean) => Promise<void>) => {
      for (let start = 0; start < total; start += BATCH) {
        const end = Math.min(total, start + BATCH);
        // The batch's runs read in one read transaction (one snapshot and one lock, not about ten
        // per run), then written.
        const runs = readBatch(start, end);
        for (let position = start; position < end; position += 1) {
          const run = runs[position - start];
          if (!run) continue;
          await write(run, position, written === 0);
          written += 1;
        }
        control.onProgress?.(Math.min(total, start + BATCH), total);
        await breathe(control, what);
      }
    };

    switch (format) {
      case 'json':
      case 'pack': {
        // The bundle's own fields first, then its runs one per line: any JSON reader reads it,
        // and the streaming import reads it one run at a time.
        const head = jsonVisible(header);
        await sink.write(`${head.slice(0, -1)},"runs":[`);
        await eachRun(async (run, _position, first) => sink.write(`${first ? '\n' : ',\n'}${jsonVisible(run)}`));
        await sink.write('\n]}\n');
        break;
      }
      case 'markdown': {
        await sink.write(markdownHeader(header, options.title, total));
        await eachRun(async (run) => sink.write(markdownRun(run, total, labels)));
        break;
      }
      case 'csv': {
        // Score columns first (names only, a batch of runs at a time), then the rows.
        const names = new Set<string>();
        if (options.scores) {
          for (let start = 0; start < total; start += 500) scoreColumnsOf(options.scores(runIds.slice(start, start + 500)), names);
        }
        const columns = [...names].sort((a, b) => a.localeCompare(b));
        await sink.write(csvHeader(columns));
        let lookup: ReturnType<ScoreLookup> = new Map();
        let lookupStart = -1;
        await eachRun(async (run, position) => {
          const batch = Math.floor(position / 500) * 500;
          if (options.scores && batch !== lookupStart) {
            lookup = options.scores(runIds.slice(batch, batch + 500));
            lookupStart = batch;
          }
          await sink.write(csvRunRows(run, lookup.get(run.id), columns, labels));
        });
        break;
      }
      case 'html': {
        const diffs = { diffs: options.diffs ?? total <= AUTO_DIFF_RUNS };
        await sink.write(htmlStart(header, options.title, total));
        if (total > 1) {
          // The index: titles, dates, statuses and models only, a batch of runs at a time.
          const rows = db.prepare<[string], { id: string; title: string; started_at: number; status: string; models: string | null }>(
            `SELECT r.id, r.title, r.started_at, r.status, (SELECT group_concat(a.model_id, char(31)) FROM arm_outputs a WHERE a.run_id = r.id) AS models
             FROM json_each(?) j JOIN runs r ON r.id = j.value ORDER BY j.key`,
          );
          await sink.write(HTML_INDEX_START);
          for (let start = 0; start < total; start += 1000) {
            for (const row of rows.all(JSON.stringify(runIds.slice(start, start + 1000)))) {
              await sink.write(htmlIndexRow({ id: row.id, title: row.title, startedAt: row.started_at, status: row.status, models: (row.models ?? '').split('\u001f').filter(Boolean) }));
            }
            await breathe(control, what);
          }
          await sink.write(HTML_INDEX_END);
        }
        let lookup: ReturnType<ScoreLookup> | undefined;
        let lookupStart = -1;
        await eachRun(async (run, position) => {
          const batch = Math.floor(position / 500) * 500;
          if (options.scores && batch !== lookupStart) {
            lookup = options.scores(runIds.slice(batch, batch + 500));
            lookupStart = batch;
          }
          await sink.write(`${runHtml(run, lookup, diffs, labels)}\n`);
        });
        await sink.write(HTML_END);
        break;
      }
    }
    await sink.close();
    control.onProgress?.(total, total);
    return written;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
