/**
 * A Bedrock service stack over a temporary database, pointed at a fake Bedrock server, with
 * static test credentials in the environment (see tests/support/fake-bedrock-env.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { BedrockSettingsInput } from '../../../shared/contract/settings';
import { createBedrockClients, createBedrockService, createCatalogService, createSettingsService } from '../../../electron/services/bedrock';
import { openDb } from '../../../electron/services/store';
import { createCatalogRepo } from '../../../electron/services/store/catalog';
import { createSettingsRepo } from '../../../electron/services/store/settings';
import type { FakeBedrock } from '../../support/fake-bedrock';
import { made, useFakeBedrock } from '../../support/fake-bedrock-env';

export function createStack(settings: BedrockSettingsInput, options: { now?: () => number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bedrock-'));
  const db = openDb(join(dir, 'test.db'));
  const settingsService = createSettingsService(createSettingsRepo(db));
  settingsService.save(settings);
  const clients = createBedrockClients(() => settingsService.get());
  const catalog = createCatalogService({ repo: createCatalogRepo(db), clients });
  const bedrock = createBedrockService({ clients, catalog, ...(options.now ? { now: options.now } : {}) });
  return {
    dir,
    db,
    settings: settingsService,
    clients,
    catalog,
    bedrock,
    close() {
      clients.destroy();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Stack = ReturnType<typeof createStack>;

/**
 * Registers hooks for the file: test credentials, a fake Bedrock and one stack pointed at it
 * (`settings` plus the fake's endpoint) before all tests, the fake reset after each test, and
 * the stack, the fake and the environment closed after all. The properties are valid in tests.
 */
export function useStackAgainstFake(settings: Omit<BedrockSettingsInput, 'endpoint'>): { readonly fake: FakeBedrock; readonly stack: Stack } {
  const server = useFakeBedrock();
  let stack: Stack | undefined;
  beforeAll(() => {
    stack = createStack({ ...settings, endpoint: server.fake.endpoint });
  });
  afterEach(() => server.fake.reset());
  // After hooks run in reverse order, so the stack closes before the fake does.
  afterAll(() => stack?.close());
  return {
    get fake() {
      return server.fake;
    },
    get stack() {
      return made(stack, 'The stack');
    },
  };
}
