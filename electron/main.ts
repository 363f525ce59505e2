import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { createHandlers } from './handlers';
import { createElectronDialogs } from './dialogs';
import { bindIpc, windowEmitter } from './ipc';
import { createServices, type Services } from './services';

const rendererIndex = join(__dirname, '..', 'dist', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
let services: Services | undefined;

app.enableSandbox();
if (process.env.PARALLAX_USER_DATA) app.setPath('userData', process.env.PARALLAX_USER_DATA);
if (!app.requestSingleInstanceLock()) app.quit();

/** The app's Electron-ABI copy of better-sqlite3 (see README, "Native module"). */
function electronNativeBinding(): string | undefined {
  const base = app.isPackaged ? process.resourcesPath : app.getAppPath();
  const candidate = join(base, 'native', 'electron', 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

function isHttpsUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpsUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Parallax',
    webPreferences: {
      preload: join(__dirname, 'preload.js'),
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

app.whenReady().then(async () => {
  lockDownSession();
  if (app.isPackaged) Menu.setApplicationMenu(null);
  services = createServices({
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    nativeBinding: electronNativeBinding(),
    dialogs: createElectronDialogs(),
  });
  const window = createWindow();
  bindIpc(window, createHandlers(services, windowEmitter(window)), (url) => url.split('#')[0] === rendererUrl);
  await window.loadFile(rendererIndex);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => services?.close());
