/**
 * Export of runs and collections (Markdown, self-contained HTML, lossless JSON, scores CSV)
 * and import of JSON exports and packs. Paths come from the caller (the dialog service).
 */
import type { ExportFormat, ImportReport } from '../../../shared/contract/history';
import type { Db } from '../store';
import { readBundle, type Bundle } from './bundle';
import { renderCsv, type ScoreLookup } from './csv';
import { writeFileAtomic } from './files';
import { renderHtml } from './html';
import { importFile, type ImportLimits } from './import';
import { importStream, type StreamImportResult } from './import-stream';
import { readReportLabels, type ReportLabels } from './labels';
import { renderMarkdown } from './markdown';
import { streamExport, type TransferControl } from './stream';
import type { StoreJobRunOptions, StoreJobs } from '../store/jobs/host';

export { ArmRatingRecord, Bundle, BundleV1, FORMAT_VERSION, readBundle, RunRatingRecord, RunRecord, ScoreRecord, upgradeBundleV1 } from './bundle';
export { csvCell, renderCsv, type ScoreLookup } from './csv';
export { escapeHtml, renderHtml, REPORT_CSP } from './html';
export { formatPath, importFile, MAX_IMPORT_BYTES, parseBundleBytes, validateBundle, writeBundle } from './import';
export { renderMarkdown } from './markdown';
export { writeFileAtomic } from './files';
export { FileSink, jsonVisible, streamExport, type StreamExportOptions, type TransferControl } from './stream';
export { importStream, type StreamImportResult } from './import-stream';
export { BundleScanner, MAX_DEPTH, MAX_RUN_BYTES } from './scanner';

export const EXPORT_EXTENSIONS: Record<ExportFormat, { extension: string; name: string }> = {
  markdown: { extension: 'md', name: 'Markdown' },
  html: { extension: 'html', name: 'HTML report' },
  json: { extension: 'json', name: 'Parallax export (JSON)' },
  csv: { extension: 'csv', name: 'Scores (CSV)' },
};

export function renderExport(bundle: Bundle, format: ExportFormat, title: string, scores?: ScoreLookup, labels: ReportLabels = {}): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(bundle, title, labels);
    case 'html':
      return renderHtml(bundle, title, scores, undefined, labels);
    case 'csv':
      return renderCsv(bundle, scores, labels);
    case 'json':
      return `${JSON.stringify(bundle, null, 1)}\n`;
  }
}

export interface ExportServiceOptions {
  db: Db;
  now: () => number;
  version: string;
  scores?: ScoreLookup;
  limits?: ImportLimits;
  /**
   * Where streaming exports and imports run: store jobs (the store worker in the app, so the
   * main thread stays free), with the database's own score lookup. Without it they run here.
   */
  jobs?: StoreJobs;
}

/** A transfer's cancel and progress as a store job's. */
export function jobOptions(control: TransferControl): StoreJobRunOptions {
  const { onProgress } = control;
  return {
    ...(control.signal ? { signal: control.signal } : {}),
    onProgress: (done, total) => {
      if (total !== null) onProgress?.(done, total);
    },
  };
}

export function createExportService(options: ExportServiceOptions) {
  const { db, now, version } = options;
  return {
    bundle(runIds: readonly string[], collectionIds: string[] = []): Bundle {
      return readBundle(db, runIds, { kind: 'runs', version, now: now(), collectionIds });
    },
    /** Writes the runs to `path`; returns how many were written. */
    write(runIds: readonly string[], format: ExportFormat, path: string, title: string, collectionIds: string[] = []): number {
      const bundle = readBundle(db, runIds, { kind: 'runs', version, now: now(), collectionIds });
      writeFileAtomic(path, renderExport(bundle, format, title, options.scores, readReportLabels(db)));
      return bundle.runs.length;
    },
    import(path: string): { bundle: Bundle; report: ImportReport } {
      return importFile({ db, now }, path, options.limits);
    },
    /**
     * Writes the runs to `path` as a stream (any number of runs, bounded memory), with progress
     * and cancel; returns how many were written.
     */
    writeStream(
      runIds: readonly string[],
      format: ExportFormat,
      path: string,
      title: string,
      extra: { collectionIds?: string[]; diffs?: boolean } = {},
      control: TransferControl = {},
    ): Promise<number> {
      const args = { runIds: [...runIds], format, path, title, version, now: now(), collectionIds: extra.collectionIds ?? [], ...(extra.diffs !== undefined ? { diffs: extra.diffs } : {}) };
      if (options.jobs) return options.jobs.run('export', args, jobOptions(control));
      return streamExport({ ...args, db, scores: options.scores }, control);
    },
    /** Imports a file of any size as a stream, all or nothing, with progress and cancel. */
    importStream(path: string, control: TransferControl = {}): Promise<StreamImportResult> {
      if (options.jobs) return options.jobs.run('import', { path }, jobOptions(control));
      return importStream({ db, now }, path, control);
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
