/**
 * Writes a generated history into a data folder, in its own process: benches that measure a
 * process's memory (export-scale) generate the history here, so the generator's own heap is
 * not counted as the export's. Usage: node --import tsx bench/lib/generate-history-child.ts <dataDir> <runs>
 */
import { createServices } from '../../electron/services';
import { generateHistory } from '../../tests/support/history-fixtures';

const [dataDir, runs] = process.argv.slice(2);
if (!dataDir || !runs) throw new Error('usage: generate-history-child.ts <dataDir> <runs>');
const services = createServices({ dataDir, version: 'bench' });
generateHistory(services.db, { runs: Number(runs) });
services.db.pragma('wal_checkpoint(TRUNCATE)');
services.close();
