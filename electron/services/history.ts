/**
 * The history services (issue 6), built from the open database: the history repository,
 * export/import, workshop packs, backup/restore/integrity, and the dialog service that picks
 * file paths. createServices spreads this into the services object.
 */
import type { Dialogs } from './dialogs';
import { noDialogs } from './dialogs';
import { createExportService, jobOptions, type ScoreLookup } from './export';
import { sqlScoreLookup } from './export/scores';
import type { ImportLimits } from './export/import';
import { packRecord, writePack, type PackDetails } from './packs';
import type { TransferControl } from './export/stream';
import type { Db } from './store';
import { createHistoryRepo } from './store/history';
import type { StoreJobs } from './store/jobs/host';
import { cancelRestore, dataStats } from './store/maintenance';

export interface HistoryServicesOptions {
  db: Db;
  dbPath: string;
  dataDir: string;
  version: string;
  now: () => number;
  nativeBinding?: string | undefined;
  dialogs?: Dialogs | undefined;
  importLimits?: ImportLimits | undefined;
  /** Heavy store work (integrity check, backup, restore check, search rebuild) off the main thread. */
  jobs: StoreJobs;
  /** Scores for CSV/HTML exports (issue 5 plugs in here). */
  scores?: ScoreLookup | undefined;
}

export function createHistoryServices(options: HistoryServicesOptions) {
  const { db, dbPath, dataDir, now, version } = options;
  const history = createHistoryRepo(db, now);
  history.purgeExpired();
  return {
    history,
    dialogs: options.dialogs ?? noDialogs,
    // Streaming exports and imports run as store jobs (off the main thread in the app), unless a
    // caller brings its own score lookup (which cannot cross to the worker).
    exporter: createExportService({
      db,
      now,
      version,
      scores: options.scores ?? sqlScoreLookup(db),
      ...(options.importLimits ? { limits: options.importLimits } : {}),
      ...(options.scores ? {} : { jobs: options.jobs }),
    }),
    packs: {
      write(path: string, runIds: readonly string[], details: PackDetails): number {
        return writePack(db, path, runIds, details, { version, now: now() });
      },
      writeStream(path: string, runIds: readonly string[], details: PackDetails, control: TransferControl = {}): Promise<number> {
        const at = now();
        return options.jobs.run('export', { runIds: [...runIds], format: 'pack', path, title: details.title, version, now: at, pack: packRecord(details, at) }, jobOptions(control));
      },
    },
    data: {
      backup: (path: string) => options.jobs.run('backup', { path }),
      stageRestore: (path: string) => options.jobs.run('stage-restore', { dataDir, source: path }),
      cancelRestore: () => cancelRestore(dataDir),
      stats: () => dataStats(db, dbPath, dataDir),
      check: () => options.jobs.run('integrity-check', {}),
      rebuildSearch: () => options.jobs.run('rebuild-search', {}),
    },
  };
}

export type HistoryServices = ReturnType<typeof createHistoryServices>;
