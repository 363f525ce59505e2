/**
 * `npm run fake-bedrock -- [--port N] [--first-token-ms MS] [--tokens-per-second N] [--words-per-chunk N]`
 * Runs the fake Bedrock server until Ctrl+C, logging each request.
 */
import { parseArgs } from 'node:util';
import { startFakeBedrock, type FakePace } from './index';

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} expects a non-negative number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'first-token-ms': { type: 'string' },
      'tokens-per-second': { type: 'string' },
      'words-per-chunk': { type: 'string' },
    },
  });
  const pace: FakePace = {
    firstTokenMs: numberOption('first-token-ms', values['first-token-ms']),
    tokensPerSecond: numberOption('tokens-per-second', values['tokens-per-second']),
    wordsPerChunk: numberOption('words-per-chunk', values['words-per-chunk']),
  };
  const fake = await startFakeBedrock({ port: numberOption('port', values.port), host: values.host, pace });
  console.log(`Fake Bedrock listening on ${fake.endpoint} (HTTP/2 and HTTP/1.1, cleartext)`);
  console.log(`Point Parallax at it: Settings → Custom endpoint = ${fake.endpoint}, region us-east-1`);
  console.log('Any access key / secret works. Ctrl+C to stop.');

  let logged = 0;
  const logger = setInterval(() => {
    for (const request of fake.requests.slice(logged)) {
      const target = request.modelId ?? request.guardrailId ?? '';
      console.log(`${new Date(request.receivedAt).toISOString()} ${request.operation} ${target}`.trimEnd());
    }
    logged = fake.requests.length;
  }, 250);

  const stop = (): void => {
    clearInterval(logger);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
