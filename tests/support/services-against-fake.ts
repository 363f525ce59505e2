/**
 * The real service layer over a fresh temporary data directory for each test, its Bedrock
 * settings pointed at one fake Bedrock server for the file (with static test credentials).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createServices, type Services } from '../../electron/services';
import type { FakeBedrock } from './fake-bedrock';
import { made, useFakeBedrock } from './fake-bedrock-env';

export interface ServicesAgainstFake {
  /** The fake server, started once for the file and reset before each test. */
  readonly fake: FakeBedrock;
  /** This test's services (endpoint → the fake, us-east-1, one attempt). */
  readonly services: Services;
  /** This test's data directory, removed after it. */
  readonly dir: string;
}

/**
 * Registers the hooks and returns an object whose properties are valid inside tests (and in
 * hooks registered after this call). `prefix` names the temporary directories.
 */
export function useServicesAgainstFake(prefix: string): ServicesAgainstFake {
  const server = useFakeBedrock();
  let dir: string | undefined;
  let services: Services | undefined;
  beforeEach(() => {
    server.fake.reset();
    dir = mkdtempSync(join(tmpdir(), prefix));
    services = createServices({ dataDir: dir, version: '0.0.0-test' });
    services.settings.update({ endpoint: server.fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
  });
  afterEach(() => {
    services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    services = undefined;
    dir = undefined;
  });
  return {
    get fake() {
      return server.fake;
    },
    get services() {
      return made(services, 'The services');
    },
    get dir() {
      return made(dir, 'The data directory');
    },
  };
}
