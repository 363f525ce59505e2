/**
 * Static test credentials through the environment (the SDK's own provider chain reads them),
 * with the developer's own ~/.aws files kept out. Free of vitest, so benchmarks can use it too.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENV_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
] as const;

/** Static test credentials through the environment; returns a function that restores it. */
export function useTestCredentials(): () => void {
  const saved = new Map(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTTESTTESTTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-not-a-real-key';
  // Keep the developer's own ~/.aws files out of the tests.
  process.env.AWS_CONFIG_FILE = join(tmpdir(), 'parallax-no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmpdir(), 'parallax-no-aws-credentials');
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
