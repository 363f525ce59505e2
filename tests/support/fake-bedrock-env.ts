/**
 * A test file's AWS environment: static test credentials (the SDK's own provider chain reads
 * them) and, with `useFakeBedrock`, one fake Bedrock server for the whole file.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from './fake-bedrock';

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

/** Holds what a hook made; reading it before the hook ran (outside a test) is a mistake. */
export function made<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} exists only inside tests (it is made in a before hook)`);
  return value;
}

/**
 * Registers hooks for the current file (or describe block): test credentials and a started fake
 * Bedrock before all tests, the server closed and the environment restored after them. Resetting
 * the fake between tests is left to the caller.
 */
export function useFakeBedrock(): { readonly fake: FakeBedrock } {
  let fake: FakeBedrock | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    restoreEnv = useTestCredentials();
    fake = await startFakeBedrock();
  });
  afterAll(async () => {
    await fake?.close();
    restoreEnv?.();
  });
  return {
    get fake() {
      return made(fake, 'The fake Bedrock');
    },
  };
}
