/**
 * A Bedrock service stack over a temporary database, pointed at a fake Bedrock server, with
 * static test credentials in the environment (the SDK's own provider chain reads them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BedrockSettingsInput } from '../../../shared/contract/settings';
import { createBedrockClients, createBedrockService, createCatalogService, createSettingsService } from '../../../electron/services/bedrock';
import { openDb } from '../../../electron/services/store';
import { createCatalogRepo } from '../../../electron/services/store/catalog';
import { createSettingsRepo } from '../../../electron/services/store/settings';

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

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
