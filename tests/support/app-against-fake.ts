/**
 * An e2e file's lifecycle against the fake Bedrock: test credentials and one fake server for the
 * file (useFakeBedrock), apps launched in Chromium with Bedrock pointed at the fake, every app a
 * test launched closed after it (also when the test closed it itself) and the fake reset, the
 * shared browser closed after the file.
 */
import { afterAll, afterEach } from 'vitest';
import type { BedrockSettingsInput } from '../../shared/contract/settings';
import type { Services } from '../../electron/services';
import { useFakeBedrock } from './fake-bedrock-env';
import { closeBrowser, launchApp, type AppHarness, type LaunchOptions } from './harness';

export interface AppAgainstFakeOptions {
  /** Settings every launch adds to the fake's endpoint (e.g. a default generation model). */
  settings?(services: Services): Partial<BedrockSettingsInput>;
}

export function useAppAgainstFake(defaults: AppAgainstFakeOptions = {}) {
  const server = useFakeBedrock();
  const open = new Set<AppHarness>();
  afterEach(async () => {
    for (const app of [...open]) await app.close();
    server.fake.reset();
  });
  afterAll(closeBrowser);
  return {
    get fake() {
      return server.fake;
    },
    /** Launches the app with Bedrock pointed at the fake (one attempt per call, so failures show at once). */
    async launch(options: LaunchOptions = {}): Promise<AppHarness> {
      const app = await launchApp({
        ...options,
        prepare: async (services) => {
          services.settings.update({ endpoint: server.fake.endpoint, region: 'us-east-1', maxAttempts: 1, ...defaults.settings?.(services) });
          await options.prepare?.(services);
        },
      });
      const close = app.close.bind(app);
      app.close = async () => {
        if (open.delete(app)) await close();
      };
      open.add(app);
      return app;
    },
  };
}
