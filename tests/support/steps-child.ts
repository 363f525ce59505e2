/**
 * A child process for the SIGKILL test (tests/integration/steps.test.ts): the real services on
 * a data folder, pointed at the parent's fake Bedrock, start a critique-and-revise run and wait
 * to be killed. Usage: node --import tsx steps-child.ts <dataDir> <endpoint>
 */
import { mkdirSync } from 'node:fs';
import { createServices } from '../../electron/services';
import { ExperimentConfig } from '../../shared/domain';
import { useTestCredentials } from './test-credentials';

const [dataDir, endpoint] = process.argv.slice(2);
if (!dataDir || !endpoint) throw new Error('usage: steps-child.ts <dataDir> <endpoint>');
useTestCredentials();
mkdirSync(dataDir, { recursive: true });
const services = createServices({ dataDir, version: '0.0.0-test' });
services.settings.update({ endpoint, region: 'us-east-1', maxAttempts: 1 });
const config = ExperimentConfig.parse({
  variables: [],
  arms: [
    { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: {}, system: '', history: [], template: 'Describe a typical nurse.' },
    { mode: 'derived', label: 'Constitutional', steps: [{ kind: 'critique-revise', principles: [{ builtIn: 'biased' }, { builtIn: 'toxic' }] }], overrides: {} },
  ],
});
const run = services.runner.start({ experimentId: null, title: 'Killed mid-chain', config }, () => undefined);
console.log(`RUN ${run.id}`);
setInterval(() => undefined, 1_000);
