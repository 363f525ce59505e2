/**
 * The end-to-end harness: the built renderer in real Chromium, with the app's real handler
 * table behind a Playwright binding in place of the preload, over a temporary database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dispatch } from '../../electron/dispatch';
import { createHandlers, type EmitEvent, type Handlers } from '../../electron/handlers';
import { createServices, type Services, type ServicesOptions } from '../../electron/services';
import { CHROMIUM_ARGS, findChromium } from './chromium';
import { serveStatic } from './static-server';

const DIST = resolve(__dirname, '..', '..', 'dist');

export interface AppHarness {
  page: Page;
  services: Services;
  dataDir: string;
  /** Every event main pushed to the renderer, in order. */
  events: { event: string; payload: unknown }[];
  /** Every request the renderer made, in order. */
  calls: { channel: unknown; request: unknown }[];
  /** Closes the services and opens them again on the same files, then reloads: an app restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a data folder (e.g. one prepared by the test); a fresh temp folder otherwise. */
  dataDir?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Extra service options, e.g. a fixed clock. */
  services?: Partial<ServicesOptions>;
  /** Runs after services are created and before the page loads (e.g. to point Bedrock at a fake). */
  prepare?(services: Services): void | Promise<void>;
}

let sharedBrowser: Promise<Browser> | undefined;

function browser(): Promise<Browser> {
  sharedBrowser ??= chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  return sharedBrowser;
}

/** Mirrors electron/preload.ts: the page sees `window.parallax` and nothing else of main. */
function installBridge() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const w = window as unknown as Record<string, unknown>;
  const invoke = w.__parallaxInvoke as (channel: string, request: unknown) => Promise<string | undefined>;
  w.__parallaxEmit = (event: string, payload: unknown) => {
    listeners.get(event)?.forEach((listener) => listener(payload));
  };
  w.parallax = Object.freeze({
    invoke: async (channel: string, request: unknown) => {
      const json = await invoke(channel, request);
      return json === undefined ? undefined : (JSON.parse(json) as unknown);
    },
    on(event: string, listener: (payload: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)?.delete(listener);
    },
  });
}

export async function launchApp(options: LaunchOptions = {}): Promise<AppHarness> {
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parallax-e2e-'));
  const server = await serveStatic(DIST);
  const context = await (await browser()).newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1360, height: 860 },
  });
  // Benches run under tsx, which compiles with keepNames: functions handed to the page may call
  // esbuild's __name helper, which the page lacks. A no-op stand-in keeps them working.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  const page = await context.newPage();
  const events: AppHarness['events'] = [];
  const calls: AppHarness['calls'] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const emit: EmitEvent = (event, payload) => {
    events.push({ event, payload });
    page
      .evaluate(([name, data]) => (window as unknown as { __parallaxEmit?: (e: string, p: unknown) => void }).__parallaxEmit?.(name, data), [
        event,
        payload,
      ] as const)
      .catch(() => undefined);
  };

  const start = async () => {
    const services = createServices({ dataDir, version: '0.0.0-test', ...options.services });
    await options.prepare?.(services);
    return { services, handlers: createHandlers(services, emit) };
  };
  let current: { services: Services; handlers: Handlers } = await start();

  // Answers travel as one JSON string: Playwright's own value serialisation builds several
  // wrapper objects per value in the page, garbage that made the renderer's heap (bench
  // history-scale, renderer_mb) reflect the harness rather than the app. Electron's IPC
  // (structured clone) leaves no such garbage; a JSON string is the nearest stand-in.
  await page.exposeBinding('__parallaxInvoke', async (_source, channel: unknown, request: unknown) => {
    calls.push({ channel, request });
    const envelope = await dispatch(current.handlers, channel, request);
    return envelope === undefined ? undefined : JSON.stringify(envelope);
  });
  await page.addInitScript(installBridge);
  await page.goto(server.url);

  const harness: AppHarness = {
    page,
    dataDir,
    events,
    calls,
    get services() {
      return current.services;
    },
    async restart() {
      current.services.close();
      current = await start();
      await page.reload();
    },
    async close() {
      await context.close();
      current.services.close();
      await server.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`Uncaught errors in the page: ${pageErrors.join(' | ')}`);
    },
  };
  return harness;
}

export async function closeBrowser(): Promise<void> {
  if (sharedBrowser) await (await sharedBrowser).close();
  sharedBrowser = undefined;
}

export const SCREENSHOTS = resolve(__dirname, '..', '..', 'test-results', 'screenshots');
