import { join } from 'node:path';
import { createExperimentRepo, createRunRepo, openDb, schemaVersion } from './store';

export interface ServicesOptions {
  /** The folder that holds everything Parallax writes (the OS user-data folder in the app). */
  dataDir: string;
  version: string;
  /** better_sqlite3.node for the running runtime; omitted under plain Node. */
  nativeBinding?: string;
  now?: () => number;
}

/** Builds every service from plain arguments; nothing here knows about Electron. */
export function createServices(options: ServicesOptions) {
  const now = options.now ?? Date.now;
  const dbPath = join(options.dataDir, 'parallax.db');
  const db = openDb(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const runs = createRunRepo(db, now);
  runs.markInterrupted();

  return {
    now,
    db,
    info: { version: options.version, dataDir: options.dataDir, dbPath },
    schemaVersion: () => schemaVersion(db),
    experiments: createExperimentRepo(db, now),
    runs,
    close() {
      db.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
