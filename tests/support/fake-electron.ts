/**
 * A recording fake of the `electron` module, enough to run the BUILT dist-electron/main.js and
 * preload.js under plain Node: app, BrowserWindow (with webContents and a main frame), ipcMain,
 * session, shell, dialog, Menu, screen, contextBridge and ipcRenderer. Everything the shell asks
 * of Electron is recorded for the tests to read; events (second-instance, activate, close…) are
 * emitted by the tests.
 *
 * `loadBuiltMain(fake)` loads dist-electron/main.js with `require('electron')` answered by the
 * fake (a Module._load hook, removed again once the module has loaded its chunks).
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..', '..');
export const DIST_ELECTRON = join(root, 'dist-electron');
const nodeRequire = createRequire(__filename);

export interface FakeElectronOptions {
  userData: string;
  /** app.getAppPath() (the project root by default). */
  appPath?: string;
  isPackaged?: boolean;
  /** process.resourcesPath while the fake is loaded (packaged builds read native/ from it). */
  resourcesPath?: string;
  platform?: NodeJS.Platform;
  /** What requestSingleInstanceLock() answers. */
  singleInstanceLock?: boolean;
  /** The button showMessageBoxSync "clicks". */
  messageBoxResponse?: number;
  displays?: { x: number; y: number; width: number; height: number }[];
  /** What the open dialog answers, in turn (cancelled once they run out). */
  openDialogPaths?: string[];
  /** Turns a loaded file path into the URL the page reports (Chromium's escaping by default). */
  fileUrl?: (path: string) => string;
}

/** Escapes a file path the way a browser may: every byte outside [A-Za-z0-9/._-] as %xx, lowercase hex. */
export function browserFileUrl(path: string): string {
  const posix = path.split(sep).join('/');
  const escaped = [...Buffer.from(posix, 'utf8')]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9/._-]/.test(c) ? c : `%${byte.toString(16).padStart(2, '0')}`;
    })
    .join('');
  return `file://${escaped.startsWith('/') ? '' : '/'}${escaped}`;
}

export type IpcHandler = (event: unknown, request: unknown) => unknown;

export function createFakeElectron(options: FakeElectronOptions) {
  const platform = options.platform ?? process.platform;
  const record = {
    windows: [] as FakeBrowserWindow[],
    ipcHandlers: new Map<string, IpcHandler>(),
    applicationMenu: undefined as undefined | null | { template: unknown[] },
    messageBoxes: [] as Record<string, unknown>[],
    errorBoxes: [] as { title: string; content: string }[],
    openedExternal: [] as string[],
    openedPaths: [] as string[],
    shownInFolder: [] as string[],
    permissionRequestHandler: undefined as undefined | ((...args: unknown[]) => void),
    permissionCheckHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    headersHandler: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
    sandboxEnabled: false,
    quitCalls: 0,
    exitCode: undefined as number | undefined,
    exposed: new Map<string, unknown>(),
    rendererInvokes: [] as { channel: string; request: unknown }[],
    rendererListeners: new Map<string, ((...args: unknown[]) => void)[]>(),
  };

  let readyResolve: () => void = () => undefined;
  const readyPromise = new Promise<void>((r) => {
    readyResolve = r;
  });
  let ready = false;
  const paths = new Map<string, string>([['userData', options.userData]]);

  class FakeApp extends EventEmitter {
    readonly isPackaged = options.isPackaged ?? false;
    enableSandbox() {
      record.sandboxEnabled = true;
    }
    setPath(name: string, value: string) {
      paths.set(name, value);
    }
    getPath(name: string) {
      const value = paths.get(name);
      if (!value) throw new Error(`fake electron: no path "${name}"`);
      return value;
    }
    getAppPath() {
      return options.appPath ?? root;
    }
    getVersion() {
      return '0.0.0-fake';
    }
    getName() {
      return 'Parallax';
    }
    requestSingleInstanceLock() {
      return options.singleInstanceLock ?? true;
    }
    whenReady() {
      return readyPromise;
    }
    isReady() {
      return ready;
    }
    quit() {
      record.quitCalls += 1;
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      this.emit('before-quit', event);
      if (event.defaultPrevented) return;
      for (const window of [...record.windows]) if (!window.isDestroyed()) window.close();
      this.emit('will-quit', { preventDefault() {} });
      this.emit('quit');
    }
    exit(code = 0) {
      record.exitCode = code;
      for (const window of [...record.windows]) if (!window.isDestroyed()) window.destroy();
    }
  }
  const app = new FakeApp();

  class FakeFrame {
    url = '';
  }

  class FakeWebContents extends EventEmitter {
    readonly mainFrame = new FakeFrame();
    readonly sent: { channel: string; payload: unknown }[] = [];
    windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
    devToolsClosed = 0;
    destroyed = false;
    loading = false;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    send(channel: string, payload: unknown) {
      if (this.destroyed) throw new Error('fake electron: send on a destroyed webContents');
      this.sent.push({ channel, payload });
    }
    isLoading() {
      return this.loading;
    }
    isDestroyed() {
      return this.destroyed;
    }
    closeDevTools() {
      this.devToolsClosed += 1;
    }
    getURL() {
      return this.mainFrame.url;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows() {
      return record.windows.filter((w) => !w.isDestroyed());
    }
    static getFocusedWindow() {
      return record.windows.find((w) => w.focused && !w.isDestroyed()) ?? null;
    }
    readonly webContents = new FakeWebContents();
    readonly calls: string[] = [];
    bounds: { x: number; y: number; width: number; height: number };
    loadedFile: string | undefined;
    visible = false;
    focused = false;
    minimized = false;
    maximized = false;
    private destroyedFlag = false;

    constructor(readonly options: Record<string, unknown>) {
      super();
      this.bounds = {
        x: typeof options.x === 'number' ? options.x : 100,
        y: typeof options.y === 'number' ? options.y : 80,
        width: Number(options.width ?? 800),
        height: Number(options.height ?? 600),
      };
      record.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadFile(path: string) {
      this.calls.push('loadFile');
      this.loadedFile = path;
      this.webContents.loading = true;
      await new Promise((r) => setImmediate(r));
      if (this.destroyedFlag) return;
      this.webContents.mainFrame.url = (options.fileUrl ?? browserFileUrl)(path);
      this.webContents.loading = false;
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    }
    show() {
      this.calls.push('show');
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    isVisible() {
      return this.visible;
    }
    focus() {
      this.calls.push('focus');
      this.focused = true;
    }
    isMinimized() {
      return this.minimized;
    }
    minimize() {
      this.minimized = true;
    }
    restore() {
      this.calls.push('restore');
      this.minimized = false;
    }
    maximize() {
      this.calls.push('maximize');
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    getBounds() {
      return { ...this.bounds };
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    setBounds(bounds: Partial<FakeBrowserWindow['bounds']>) {
      this.bounds = { ...this.bounds, ...bounds };
    }
    isDestroyed() {
      return this.destroyedFlag;
    }
    close() {
      if (this.destroyedFlag) return;
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroy();
    }
    destroy() {
      if (this.destroyedFlag) return;
      this.destroyedFlag = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (FakeBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }

  const ipcMain = {
    handle(channel: string, handler: IpcHandler) {
      if (record.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      record.ipcHandlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      record.ipcHandlers.delete(channel);
    },
    on() {},
  };

  const session = {
    defaultSession: {
      setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
        record.permissionRequestHandler = handler;
      },
      setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
        record.permissionCheckHandler = handler;
      },
      webRequest: {
        onHeadersReceived(handler: (details: unknown, callback: (response: unknown) => void) => void) {
          record.headersHandler = handler;
        },
      },
    },
  };

  const Menu = {
    buildFromTemplate(template: unknown[]) {
      return { template };
    },
    setApplicationMenu(menu: { template: unknown[] } | null) {
      record.applicationMenu = menu;
    },
  };

  const dialog = {
    showMessageBoxSync(...args: unknown[]) {
      const opts = (args.length > 1 ? args[1] : args[0]) as Record<string, unknown>;
      record.messageBoxes.push(opts);
      return options.messageBoxResponse ?? 0;
    },
    async showMessageBox(...args: unknown[]) {
      return { response: dialog.showMessageBoxSync(...args), checkboxChecked: false };
    },
    showErrorBox(title: string, content: string) {
      record.errorBoxes.push({ title, content });
    },
    async showSaveDialog() {
      return { canceled: true, filePath: undefined };
    },
    async showOpenDialog() {
      const path = options.openDialogPaths?.shift();
      return path ? { canceled: false, filePaths: [path] } : { canceled: true, filePaths: [] };
    },
  };

  const shell = {
    async openExternal(url: string) {
      record.openedExternal.push(url);
    },
    async openPath(path: string) {
      record.openedPaths.push(path);
      return '';
    },
    showItemInFolder(path: string) {
      record.shownInFolder.push(path);
    },
  };

  const screen = {
    getAllDisplays() {
      return (options.displays ?? [{ x: 0, y: 0, width: 1920, height: 1080 }]).map((workArea, id) => ({ id, bounds: workArea, workArea }));
    },
    getPrimaryDisplay() {
      return screen.getAllDisplays()[0];
    },
  };

  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      record.exposed.set(key, api);
    },
  };

  const ipcRenderer = {
    async invoke(channel: string, request: unknown) {
      record.rendererInvokes.push({ channel, request });
      return { ok: true, value: { echoed: channel } };
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      record.rendererListeners.set(channel, [...(record.rendererListeners.get(channel) ?? []), listener]);
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      record.rendererListeners.set(channel, (record.rendererListeners.get(channel) ?? []).filter((l) => l !== listener));
    },
  };

  const module = { app, BrowserWindow: FakeBrowserWindow, ipcMain, session, Menu, dialog, shell, screen, contextBridge, ipcRenderer };

  return {
    module,
    record,
    app,
    platform,
    resourcesPath: options.resourcesPath,
    /** Fires `ready` (the shell's whenReady chain runs). */
    ready() {
      ready = true;
      readyResolve();
    },
    /** The window the shell created (the last one). */
    get window(): FakeBrowserWindow | undefined {
      return record.windows.at(-1);
    },
    /**
     * Calls a bound channel as the renderer would: from the window's main frame by default, or
     * from another sender/frame to check refusals.
     */
    async invoke(channel: string, request: unknown, from: { sender?: unknown; frame?: { url: string } | null } = {}) {
      const handler = record.ipcHandlers.get(channel);
      if (!handler) throw new Error(`fake electron: no handler for ${channel}`);
      const window = record.windows.filter((w) => !w.isDestroyed()).at(-1);
      const event = {
        sender: 'sender' in from ? from.sender : window?.webContents,
        senderFrame: 'frame' in from ? from.frame : window?.webContents.mainFrame,
      };
      return handler(event, request) as Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeBrowserWindowInstance = NonNullable<FakeElectron['window']>;

type ModuleWithLoad = { _load(request: string, parent: unknown, isMain: boolean): unknown };

/** Loads a file from dist-electron (fresh, every time) with `require('electron')` answered by the fake. */
export function loadBuilt(
  file: 'main.js' | 'preload.js',
  fake: FakeElectron,
  { env = {}, distDir = DIST_ELECTRON }: { env?: Record<string, string | undefined>; distDir?: string } = {},
): Record<string, unknown> {
  const Module = nodeRequire('node:module') as ModuleWithLoad;
  for (const key of Object.keys(nodeRequire.cache)) if (key.startsWith(distDir)) delete nodeRequire.cache[key];
  const original = Module._load;
  const saved = { platform: Object.getOwnPropertyDescriptor(process, 'platform')!, resourcesPath: (process as { resourcesPath?: string }).resourcesPath };
  const savedEnv = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Module._load = function load(request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') return fake.module;
    return original.call(this, request, parent, isMain);
  };
  Object.defineProperty(process, 'platform', { value: fake.platform, configurable: true });
  const loaded = (() => {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    (process as { resourcesPath?: string }).resourcesPath = fake.resourcesPath ?? saved.resourcesPath;
    return nodeRequire(join(distDir, file)) as Record<string, unknown>;
  })();
  // The hook and the platform stay until `restore()`: main.js loads chunks lazily after ready.
  restorers.push(() => {
    Module._load = original;
    Object.defineProperty(process, 'platform', saved.platform);
    (process as { resourcesPath?: string }).resourcesPath = saved.resourcesPath;
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  return loaded;
}

const restorers: (() => void)[] = [];

/** Builds dist-electron (vite build) unless it is newer than every source it comes from. */
export function ensureBuiltElectron(): void {
  const built = join(DIST_ELECTRON, 'main.js');
  const newest = Math.max(...['electron', 'shared', 'renderer'].map((dir) => newestMtime(join(root, dir))));
  if (existsSync(built) && existsSync(join(DIST_ELECTRON, 'preload.js')) && statSync(built).mtimeMs > newest) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Undoes every loadBuilt: the require hook, process.platform, the environment. */
export function restoreElectron(): void {
  for (const restore of restorers.splice(0).reverse()) restore();
}
