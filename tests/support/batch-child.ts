/**
 * A child process that runs (or resumes) a batch on a data folder against a fake Bedrock and
 * prints one line per progress event: `progress <completed> <total>`. The batch integration test
 * SIGKILLs it mid-way. Usage: batch-child.ts <dataDir> <endpoint> <start|resume> [datasetId]
 */
import { createServices } from '../../electron/services';
import { BATCH_CONFIG } from './batch-fixtures';
import { useTestCredentials } from './test-credentials';

useTestCredentials();
const [dataDir, endpoint, mode, datasetId] = process.argv.slice(2);
const services = createServices({ dataDir: dataDir!, version: '0.0.0-test', batch: { backoffMs: 20 } });
services.settings.update({ endpoint: endpoint!, region: 'us-east-1', maxAttempts: 1 });
const sink = (event: string, payload: unknown) => {
  if (event === 'batch:progress') {
    const p = payload as { counts: { completed: number; total: number } };
    process.stdout.write(`progress ${p.counts.completed} ${p.counts.total}\n`);
  }
};
if (mode === 'start') {
  const batch = services.batches.start(
    { name: 'Killed batch', experimentId: null, config: BATCH_CONFIG, datasetId: datasetId!, mapping: { variables: { topic: 'topic' }, reference: null }, repeats: 1, concurrency: 2, scores: { metrics: ['words'], judges: [] } },
    sink as never,
  );
  process.stdout.write(`started ${batch.id}\n`);
}
