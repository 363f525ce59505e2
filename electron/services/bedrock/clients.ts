/**
 * The one place that creates AWS SDK clients. Clients are built from the current settings,
 * memoized per settings, and rebuilt on the next call after the settings change, so a saved
 * change takes effect without a restart.
 *
 * Credentials: never passed in. The SDK's own provider chain resolves them (the chosen profile,
 * including SSO and credential_process, or the environment); Parallax never sees or stores them.
 *
 * Transport: each client keeps the SDK's own request handler — HTTP/2 for the runtime client,
 * HTTP/1.1 for the control-plane client (`@aws-sdk/client-bedrock`, list calls) — with options
 * (timeouts); the runtime client's shares its HTTP/2 sessions between calls (runtimeHandler).
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockSettings } from '../../../shared/contract/settings';
import { rememberSecrets } from './errors';

export type Sdk = typeof import('./sdk');
let sdk: Promise<Sdk> | undefined;

/**
 * The AWS SDK (./sdk.ts), loaded on first use and kept: start-up never loads it, the first
 * Bedrock call does (once). Call sites load it before they start their clocks, so the first
 * call's time to first token does not include loading code.
 */
export function loadSdk(): Promise<Sdk> {
  sdk ??= import('./sdk').catch((error: unknown) => {
    sdk = undefined;
    throw error;
  });
  return sdk;
}

export interface BedrockClients {
  /** The Bedrock Runtime client for the current settings (Converse, InvokeModel, ApplyGuardrail). */
  runtime(): Promise<BedrockRuntimeClient>;
  /** The Bedrock control-plane client for the current settings (list calls). */
  control(): Promise<BedrockClient>;
  /** The settings the clients are built from (read fresh on every call). */
  settings(): BedrockSettings;
  /** Where calls go: the custom endpoint, or the regional AWS endpoint of that plane. */
  endpointOf(plane: 'runtime' | 'control'): string;
  /** Times the clients were (re)built: tests and diagnostics. */
  readonly builds: number;
  /** Closes every client (and their HTTP/2 sessions). */
  destroy(): void;
}

/** The parts of the settings a client depends on; a change in any rebuilds the clients. */
function clientKey(settings: BedrockSettings): string {
  const { profile, region, endpoint, retryMode, maxAttempts, timeoutMs } = settings;
  return JSON.stringify([profile, region, endpoint, retryMode, maxAttempts, timeoutMs]);
}

export function defaultEndpoint(plane: 'runtime' | 'control', region: string): string {
  return `https://${plane === 'runtime' ? 'bedrock-runtime' : 'bedrock'}.${region}.amazonaws.com`;
}

function commonConfig(settings: BedrockSettings) {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    retryMode: settings.retryMode,
    maxAttempts: settings.maxAttempts,
  };
}

/**
 * The runtime client's HTTP/2 handler: the SDK's own, with its options (the idle timeout covers
 * connecting and each read), sharing sessions between calls. The SDK's default for Bedrock
 * Runtime opens a new HTTP/2 session (TCP connection, preface, settings) for every call and for
 * every event stream; a batch of 2,000 calls paid ~1 s of connecting in the main process for it.
 * Here calls whose request is a plain body (Converse, ConverseStream, InvokeModel,
 * ApplyGuardrail: their streaming is the answer only) are multiplexed on a pooled session; a
 * call whose request body is itself a stream (a bidirectional event stream, which Parallax does
 * not use) keeps its own session, as the SDK does. A session the server closes (GOAWAY, error,
 * reset) leaves the pool and the next call opens a new one; Stop resets only its own stream.
 */
function runtimeHandler(loaded: Sdk, settings: BedrockSettings) {
  class SharedSessions extends loaded.NodeHttp2Handler {
    override handle(...[request, options]: Parameters<InstanceType<Sdk['NodeHttp2Handler']>['handle']>) {
      const body: unknown = request.body;
      const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
      if (!options?.isEventStream || !plainBody) return super.handle(request, options);
      const { isEventStream: _stream, ...rest } = options;
      return super.handle(request, rest);
    }
  }
  return new SharedSessions({ requestTimeout: settings.timeoutMs, disableConcurrentStreams: false });
}

/**
 * Before each call, notes the credential values the SDK resolved (its provider is memoized, so
 * this costs nothing), so that error details can redact them by value (errors.ts).
 */
async function noteCredentials(client: BedrockClient | BedrockRuntimeClient): Promise<void> {
  try {
    const identity = await client.config.credentials();
    rememberSecrets(identity.accessKeyId, identity.secretAccessKey, identity.sessionToken);
  } catch {
    // No credentials: the call itself fails and says so.
  }
}
const WATCH = { step: 'initialize', name: 'parallaxRememberCredentials' } as const;

function watchRuntime(client: BedrockRuntimeClient): BedrockRuntimeClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      await noteCredentials(client);
      return next(args);
    },
    WATCH,
  );
  return client;
}

function watchControl(client: BedrockClient): BedrockClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      await noteCredentials(client);
      return next(args);
    },
    WATCH,
  );
  return client;
}

interface Built {
  key: string;
  runtime: BedrockRuntimeClient;
  control?: BedrockClient;
}

export function createBedrockClients(getSettings: () => BedrockSettings): BedrockClients {
  let current: Built | undefined;
  let builds = 0;
  /** Clients replaced by a settings change; closed on destroy so in-flight calls can finish. */
  const retired: { destroy(): void }[] = [];

  async function ensure(): Promise<{ built: Built; sdk: Sdk }> {
    const loaded = await loadSdk();
    const { BedrockRuntimeClient } = loaded;
    // Synchronous from here on: two calls awaiting the load above build the clients once.
    const settings = getSettings();
    const key = clientKey(settings);
    if (current?.key === key) return { built: current, sdk: loaded };
    if (current) retired.push(current.runtime, ...(current.control ? [current.control] : []));
    builds += 1;
    current = {
      key,
      runtime: watchRuntime(new BedrockRuntimeClient({ ...commonConfig(settings), requestHandler: runtimeHandler(loaded, settings) })),
    };
    return { built: current, sdk: loaded };
  }

  return {
    runtime: async () => (await ensure()).built.runtime,
    async control() {
      const { built, sdk: { BedrockClient } } = await ensure();
      const settings = getSettings();
      built.control ??= watchControl(
        new BedrockClient({
          ...commonConfig(settings),
          requestHandler: { requestTimeout: settings.timeoutMs, connectionTimeout: settings.timeoutMs },
        }),
      );
      return built.control;
    },
    settings: getSettings,
    endpointOf(plane) {
      const settings = getSettings();
      return settings.endpoint ?? defaultEndpoint(plane, settings.region);
    },
    get builds() {
      return builds;
    },
    destroy() {
      for (const client of retired.splice(0)) client.destroy();
      if (current) {
        current.runtime.destroy();
        current.control?.destroy();
        current = undefined;
      }
    },
  };
}
