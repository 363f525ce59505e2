/**
 * The store worker from source, for tests and benches under Node: a worker thread that registers
 * tsx and loads electron/services/store/jobs/worker.ts (the app uses the built store-worker.js).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { StoreWorkerSpec } from '../../electron/services/store/jobs/host';

const require = createRequire(__filename);
const WORKER_SOURCE = resolve(__dirname, '..', '..', 'electron', 'services', 'store', 'jobs', 'worker.ts');

export function sourceStoreWorker(): StoreWorkerSpec {
  const tsx = require.resolve('tsx/cjs/api');
  return { source: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(WORKER_SOURCE)});` };
}
