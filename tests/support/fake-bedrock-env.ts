/**
 * A test file's AWS environment: static test credentials and, with `useFakeBedrock`, one fake
 * Bedrock server for the whole file.
 */
import { afterAll, beforeAll } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from './fake-bedrock';
import { useTestCredentials } from './test-credentials';

export { useTestCredentials };

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
