/**
 * A child process for the import SIGKILL test (tests/integration/import-journal.test.ts): the
 * real services on a data folder, with the store worker as in the app, import a file as a stream
 * and print `progress <fraction>` as it goes, then `done <imported>`. The test kills it half-way.
 * Usage: node --import tsx import-child.ts <dataDir> <file>
 */
import { createServices } from '../../electron/services';
import { sourceStoreWorker } from './store-worker';

const [dataDir, file] = process.argv.slice(2);
if (!dataDir || !file) throw new Error('usage: import-child.ts <dataDir> <file>');
const services = createServices({ dataDir, version: '0.0.0-test', storeWorker: sourceStoreWorker() });
let last = -1;
void services.exporter
  .importStream(file, {
    onProgress: (done, total) => {
      const fraction = Math.floor((done / total) * 100) / 100;
      if (fraction === last) return;
      last = fraction;
      process.stdout.write(`progress ${fraction}\n`);
    },
  })
  .then((result) => {
    process.stdout.write(`done ${result.report.imported}\n`);
    services.close();
  });
