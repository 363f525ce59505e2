/**
 * The Electron shell. Its start-up is a set of functions (configure, ready, window, menu,
 * lifecycle, failure); the only side effect of loading this file is `start()` at the bottom.
 * Tests load the built dist-electron/main.js under Node with a recording fake of `electron`
 * (tests/support/fake-electron.ts).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import type { AppCommand, DebugSettings, DebugState } from '../shared/contract/app';
import { createElectronDialogs } from './dialogs';
import type { Handlers } from './handlers';
import { bindIpc, isRendererUrl, windowEmitter } from './ipc';
import type { Services } from './services';
import { createLog, LOG_FOLDER, type Log } from './shell/log';
import { menuTemplate } from './shell/menu';
import { fitWindow, loadShellState, saveShellState, ShellState } from './shell/state';
import { describeStartupFailure, NativeModuleMissingError } from './shell/startup-errors';

const rendererIndex = join(__dirname, '..', 'dist', 'index.html');
const preloadFile = join(__dirname, 'preload.js');
const storeWorkerFile = join(__dirname, 'store-worker.js');
const DEFAULT_SIZE = { width: 1360, height: 860 };
const MIN_SIZE = { width: 960, height: 600 };

interface ShellRuntime {
  log: Log | undefined;
  state: ShellState;
  services: Services | undefined;
  window: BrowserWindow | null;
  /** Whether the current window was opened with DevTools (webPreferences cannot change later). */
  windowDevTools: boolean;
  /** Menu commands chosen while no window was loaded yet. */
  pending: AppCommand[];
  quitting: boolean;
}

const runtime: ShellRuntime = { log: undefined, state: ShellState.parse({}), services: undefined, window: null, windowDevTools: false, pending: [], quitting: false };

function userDataDir(): string {
  return process.env.PARALLAX_USER_DATA ?? app.getPath('userData');
}

/** DevTools: always in development; in a packaged build only with the debug setting. */
export function devToolsAllowed(): boolean {
  return devToolsForced() || runtime.state.devTools;
}

function devToolsForced(): boolean {
  return !app.isPackaged || process.env.PARALLAX_DEBUG === '1';
}

function verboseForced(): boolean {
  return process.env.PARALLAX_VERBOSE_LOG === '1';
}

/** The debug switches as saved and as this run applies them (Settings › Troubleshooting). */
export function debugState(): DebugState {
  const opened = runtime.window ? runtime.windowDevTools : devToolsAllowed();
  return {
    devTools: runtime.state.devTools,
    verboseLogging: runtime.state.verboseLogging,
    logFolder: join(userDataDir(), LOG_FOLDER),
    devToolsAvailable: devToolsAllowed() && opened,
    restartNeeded: devToolsAllowed() && !opened,
    forced: { devTools: devToolsForced(), verboseLogging: verboseForced() },
  };
}

/**
 * Saves the debug switches and applies them: verbose logging and the View menu at once;
 * DevTools turned off close now, turned on they come with the next window (its webPreferences
 * are fixed when it opens).
 */
export function applyDebugSettings(settings: DebugSettings): DebugState {
  runtime.state = { ...runtime.state, devTools: settings.devTools, verboseLogging: settings.verboseLogging };
  saveShellState(userDataDir(), runtime.state);
  runtime.log?.setVerbose(settings.verboseLogging || verboseForced());
  runtime.log?.info(`Debug settings: DevTools ${settings.devTools ? 'on' : 'off'}, verbose logging ${settings.verboseLogging ? 'on' : 'off'}.`);
  installMenu();
  if (!devToolsAllowed()) for (const window of BrowserWindow.getAllWindows()) window.webContents.closeDevTools();
  return debugState();
}

/**
 * The Electron-ABI copy of better-sqlite3 (README, "Native module"). Packaged: it must be in
 * resources/native/electron, or start-up stops with a dialog saying so. Development: used when
 * `npm run native:electron` has built it.
 */
export function electronNativeBinding(): string | undefined {
  const base = app.isPackaged ? process.resourcesPath : app.getAppPath();
  const candidate = join(base, 'native', 'electron', 'better_sqlite3.node');
  if (existsSync(candidate)) return candidate;
  if (app.isPackaged) throw new NativeModuleMissingError(candidate);
  return undefined;
}

/** What ships next to the app (labs' sample corpus): process.resourcesPath when packaged (electron-builder.yml extraResources), the project's resources/ in development. */
export function resourcesDir(): string {
  return app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

/** Every web contents: no navigation, no redirects, no webviews; https links open in the browser. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('devtools-opened', () => {
    if (!devToolsAllowed()) contents.closeDevTools();
  });
}

function rememberWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  const bounds = window.getNormalBounds();
  runtime.state = { ...runtime.state, window: { ...bounds, maximized: window.isMaximized() } };
  saveShellState(userDataDir(), runtime.state);
}

export function createMainWindow(): BrowserWindow {
  const displays = screen.getAllDisplays().map((d) => d.workArea);
  const fitted = fitWindow(runtime.state.window, displays, DEFAULT_SIZE, MIN_SIZE);
  const devTools = devToolsAllowed();
  const window = new BrowserWindow({
    width: fitted.width,
    height: fitted.height,
    ...(fitted.x !== undefined && fitted.y !== undefined ? { x: fitted.x, y: fitted.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Parallax',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  runtime.window = window;
  runtime.windowDevTools = devTools;
  window.once('ready-to-show', () => {
    if (fitted.maximized) window.maximize();
    window.show();
  });
  window.webContents.on('did-finish-load', () => {
    for (const command of runtime.pending.splice(0)) window.webContents.send('app:command', { command });
  });
  window.webContents.on('render-process-gone', (_event, details) => runtime.log?.error(`The window's renderer stopped: ${details.reason} (exit code ${details.exitCode}).`));
  window.on('close', () => rememberWindow(window));
  window.on('closed', () => {
    if (runtime.window === window) runtime.window = null;
  });
  void window.loadFile(rendererIndex).catch((error: unknown) => runtime.log?.error('Loading the window failed', error));
  return window;
}

/** Brings the window to the front (second launch, Dock click, menu command). */
export function focusWindow(): BrowserWindow {
  const window = runtime.window ?? createMainWindow();
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
  return window;
}

function sendCommand(command: AppCommand): void {
  const window = runtime.window;
  if (window && !window.isDestroyed() && !window.webContents.isLoading()) {
    focusWindow();
    window.webContents.send('app:command', { command });
  } else {
    runtime.pending.push(command);
    focusWindow();
  }
}

export function installMenu(): void {
  const log = runtime.log;
  const template = menuTemplate(
    { platform: process.platform, appName: app.getName(), devTools: devToolsAllowed() },
    {
      command: sendCommand,
      revealLogs: () => (log ? shell.showItemInFolder(log.file) : undefined),
      revealData: () => void shell.openPath(userDataDir()),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Shows what went wrong at start-up and how to fix it, then quits cleanly (exit code 1). */
export function failStartup(error: unknown): void {
  const dataDir = userDataDir();
  const log = runtime.log ?? createLog({ dir: join(dataDir, LOG_FOLDER) });
  log.error('Start-up failed', error);
  const problem = describeStartupFailure(error, { dbPath: join(dataDir, 'parallax.db'), logFile: log.file, packaged: app.isPackaged });
  const buttons = problem.folder ? ['Quit', 'Open data folder'] : ['Quit', 'Reveal logs'];
  const choice = dialog.showMessageBoxSync({ type: 'error', title: problem.title, message: problem.message, detail: problem.detail, buttons, defaultId: 0, noLink: true });
  if (choice === 1) {
    if (problem.folder) void shell.openPath(problem.folder);
    else shell.showItemInFolder(log.file);
  }
  closeEverything();
  app.exit(1);
}

function closeEverything(): void {
  try {
    runtime.services?.close();
  } catch (error) {
    runtime.log?.error('Closing the services failed', error);
  }
  runtime.services = undefined;
}

/** After `ready`: log, services (the database), IPC, menu, window. Throws what went wrong. */
export async function onReady(): Promise<BrowserWindow> {
  const dataDir = userDataDir();
  const log = createLog({
    dir: join(dataDir, LOG_FOLDER),
    verbose: runtime.state.verboseLogging || verboseForced(),
    echo: !app.isPackaged && process.env.PARALLAX_LOG_ECHO !== '0',
  });
  runtime.log = log;
  log.info(`Parallax ${app.getVersion()} starting (Electron ${process.versions.electron ?? 'n/a'}, ${process.platform}-${process.arch}${app.isPackaged ? '' : ', development'}).`);
  lockDownSession();
  installMenu();
  // Loaded here, not at the top, so a missing native package is a dialog, not a silent exit.
  const { createServices } = await import('./services');
  const { createHandlers } = await import('./handlers');
  const services = createServices({
    dataDir,
    version: app.getVersion(),
    nativeBinding: electronNativeBinding(),
    resourcesDir: resourcesDir(),
    dialogs: createElectronDialogs(),
    storeWorker: { file: storeWorkerFile },
    debug: {
      state: debugState,
      save: applyDebugSettings,
      revealLogs: () => {
        shell.showItemInFolder(log.file);
        return true;
      },
    },
  });
  runtime.services = services;
  const current = () => runtime.window;
  const emit = windowEmitter(current);
  const handlers: Handlers = createHandlers(services, emit);
  bindIpc(
    ipcMain,
    current,
    handlers,
    (url) => isRendererUrl(url, rendererIndex),
    (channel, error) => log.error(`${channel} failed`, error),
    (channel, ms, ok) => log.verbose(`${channel} ${ok ? 'answered' : 'refused'} in ${ms.toFixed(1)} ms`),
  );
  const window = createMainWindow();
  log.info('Window opened.');
  return window;
}

export function bindLifecycle(): void {
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  app.on('second-instance', () => {
    if (runtime.services) focusWindow();
  });
  app.on('activate', () => {
    if (runtime.services && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    runtime.quitting = true;
  });
  app.on('will-quit', () => {
    closeEverything();
    runtime.log?.info('Parallax closed.');
  });
  app.on('child-process-gone', (_event, details) => runtime.log?.warn(`A helper process stopped: ${details.type} ${details.reason}.`));
}

/** The one entry point: everything with a side effect starts here. */
export function start(): void {
  app.enableSandbox();
  if (process.env.PARALLAX_USER_DATA) app.setPath('userData', process.env.PARALLAX_USER_DATA);
  runtime.state = loadShellState(userDataDir());
  // The losing instance hands over to the first (which focuses its window) and opens nothing.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  bindLifecycle();
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => failStartup(error));
}

start();
