/**
 * The BUILT Electron shell (dist-electron/main.js, preload.js) under plain Node, with a recording
 * fake of `electron` (tests/support/fake-electron.ts): start-up, the window's security, IPC,
 * the menu, single instance, activate, quit, remembered bounds, and each start-up failure.
 */
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { createServices } from '../../electron/services';
import { integrityReport } from '../../electron/services/store/maintenance';
import { CHANNEL_NAMES } from '../../shared/ipc';
import { generateHistory } from '../support/history-fixtures';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { createFakeElectron, DIST_ELECTRON, ensureBuiltElectron, loadBuilt, restoreElectron, type FakeElectron, type FakeElectronOptions } from '../support/fake-electron';

const root = resolve(__dirname, '..', '..');
const temps: string[] = [];
const tempDir = (prefix = 'parallax-shell-') => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

let current: FakeElectron | undefined;
const keptTemps: string[] = [];
/** A temp folder kept for the whole file (fixtures built once). */
const tempDirKept = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-shell-fixture-'));
  keptTemps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of keptTemps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => ensureBuiltElectron(), 180_000);

afterEach(() => {
  if (current && current.record.exitCode === undefined) current.app.quit();
  current = undefined;
  restoreElectron();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Loads main.js with a fresh fake, fires `ready`, and waits until it opened a window or gave up. */
async function launch(options: Partial<FakeElectronOptions> = {}, load: { distDir?: string; env?: Record<string, string> } = {}) {
  const fake = createFakeElectron({ userData: options.userData ?? tempDir(), ...options });
  current = fake;
  loadBuilt('main.js', fake, { distDir: load.distDir, env: { PARALLAX_LOG_ECHO: '0', PARALLAX_USER_DATA: undefined as unknown as string, PARALLAX_DEBUG: undefined as unknown as string, ...load.env } });
  fake.ready();
  await expect.poll(() => fake.record.exitCode !== undefined || (fake.window?.webContents.mainFrame.url ?? '') !== '', { timeout: 20_000 }).toBe(true);
  return fake;
}

/** A packaged app's resources folder holding only the native module (what extraResources puts there first). */
function packagedResources(): string {
  const resources = tempDir();
  mkdirSync(join(resources, 'native', 'electron'), { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(resources, 'native', 'electron', 'better_sqlite3.node'));
  return resources;
}

type MenuItem = { label?: string; role?: string; accelerator?: string; submenu?: MenuItem[]; click?: () => void };
const menuOf = (fake: FakeElectron) => (fake.record.applicationMenu as { template: MenuItem[] }).template;
const rolesIn = (item: MenuItem | undefined) => (item?.submenu ?? []).map((i) => i.role).filter(Boolean);
const find = (items: MenuItem[], label: string) => items.find((i) => i.label?.replace('&', '') === label);

describe('a normal start', () => {
  it('opens one locked-down window, binds every contract channel and answers through it', async () => {
    const fake = await launch();
    expect(fake.record.sandboxEnabled).toBe(true);
    expect(fake.record.windows).toHaveLength(1);
    const prefs = fake.window!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: join(DIST_ELECTRON, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: true, // development build
    });
    expect(fake.window!.loadedFile).toBe(join(root, 'dist', 'index.html'));
    expect([...fake.record.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());

    const info = await fake.invoke('app:info', {});
    expect(info).toMatchObject({ ok: true, value: { version: '0.0.0-fake', schemaVersion: expect.any(Number) } });
    expect((info.value as { dbPath: string }).dbPath).toBe(join(fake.app.getPath('userData'), 'parallax.db'));
    // Bad input is refused by the contract, not thrown.
    expect(await fake.invoke('experiments:get', { id: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('sets the CSP on responses, refuses every permission, navigation, webviews and new windows', async () => {
    const fake = await launch();
    let headers: unknown;
    fake.record.headersHandler!({ responseHeaders: { 'X-Other': ['1'] } }, (response) => (headers = response));
    expect(headers).toEqual({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    let granted: boolean | undefined;
    fake.record.permissionRequestHandler!({}, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
    expect(fake.record.permissionCheckHandler!({}, 'clipboard-read')).toBe(false);

    const contents = fake.window!.webContents;
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://example.com/');
      expect(prevented, event).toBe(true);
    }
    expect(contents.windowOpenHandler!({ url: 'https://docs.aws.amazon.com/bedrock/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(fake.record.openedExternal).toEqual(['https://docs.aws.amazon.com/bedrock/']);
  });

  it('answers only the main frame of its own window showing its own page', async () => {
    const fake = await launch();
    const window = fake.window!;
    const refused = { ok: false, error: { code: 'invalid_request', message: 'Request from an untrusted frame was refused.' } };
    expect(await fake.invoke('app:info', {}, { sender: {} })).toEqual(refused);
    expect(await fake.invoke('app:info', {}, { frame: { url: window.webContents.mainFrame.url } })).toEqual(refused); // a subframe
    expect(await fake.invoke('app:info', {}, { frame: null })).toEqual(refused);
    window.webContents.mainFrame.url = 'https://evil.example/index.html';
    expect(await fake.invoke('app:info', {})).toEqual(refused);
    window.webContents.mainFrame.url = 'file:///tmp/other/index.html';
    expect(await fake.invoke('app:info', {})).toEqual(refused);
    window.webContents.mainFrame.url = `${browserUrlOfIndex(root)}#/history`;
    expect(await fake.invoke('app:info', {})).toMatchObject({ ok: true });
  });

  it('trusts its own page in a folder whose name URL escaping changes (spaces, #, %, non-ASCII)', async () => {
    const odd = join(tempDir(), 'Pär allax #1 %20 [beta] (copy)');
    mkdirSync(join(odd, 'dist'), { recursive: true });
    cpSync(DIST_ELECTRON, join(odd, 'dist-electron'), { recursive: true });
    writeFileSync(join(odd, 'dist', 'index.html'), '<!doctype html><title>Parallax</title>');
    symlinkSync(join(root, 'node_modules'), join(odd, 'node_modules'), 'dir');
    const fake = await launch({}, { distDir: join(odd, 'dist-electron') });
    expect(fake.window!.webContents.mainFrame.url).toContain('%23'); // the page's URL, escaped the browser's way
    expect(await fake.invoke('app:info', {})).toMatchObject({ ok: true });
  });
});

function browserUrlOfIndex(base: string): string {
  return `file://${join(base, 'dist', 'index.html')}`;
}

describe('menus', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`has File, Edit, View, Window and Help from roles on ${platform}, with the app's commands`, async () => {
      const fake = await launch({ platform });
      const menu = menuOf(fake);
      const labels = menu.map((m) => m.label?.replace('&', ''));
      expect(labels).toEqual([...(platform === 'darwin' ? ['Parallax'] : []), 'File', 'Edit', 'View', 'Window', 'Help']);
      expect(rolesIn(find(menu, 'Edit'))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
      const quitIn = platform === 'darwin' ? find(menu, 'Parallax') : find(menu, 'File');
      expect(rolesIn(quitIn)).toContain('quit');
      const file = find(menu, 'File')!.submenu!;
      expect(file.filter((i) => i.accelerator).map((i) => [i.label, i.accelerator])).toEqual(
        expect.arrayContaining([
          ['New comparison', 'CmdOrCtrl+N'],
          ['Import…', 'CmdOrCtrl+O'],
          ['Export…', 'CmdOrCtrl+E'],
        ]),
      );
      const all = menu.flatMap((m) => m.submenu ?? []);
      expect(all.find((i) => i.label?.startsWith('Settings'))?.accelerator).toBe('CmdOrCtrl+,');
    });
  }

  it('sends the chosen command to the window as app:command, and Help › Reveal logs shows the log file', async () => {
    const fake = await launch();
    const file = find(menuOf(fake), 'File')!.submenu!;
    file.find((i) => i.label === 'New comparison')!.click!();
    file.find((i) => i.label === 'Import…')!.click!();
    expect(fake.window!.webContents.sent.filter((s) => s.channel === 'app:command').map((s) => s.payload)).toEqual([
      { command: 'new-comparison' },
      { command: 'import' },
    ]);
    find(menuOf(fake), 'Help')!.submenu!.find((i) => i.label === 'Reveal logs')!.click!();
    const logFile = join(fake.app.getPath('userData'), 'logs', 'parallax.log');
    expect(fake.record.shownInFolder).toEqual([logFile]);
    expect(readFileSync(logFile, 'utf8')).toMatch(/\[info\] Parallax 0\.0\.0-fake starting/);
  });

  it('keeps DevTools off in a packaged build unless the debug setting is on', async () => {
    const resources = tempDir();
    mkdirSync(join(resources, 'native', 'electron'), { recursive: true });
    cpSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(resources, 'native', 'electron', 'better_sqlite3.node'));
    const packaged = await launch({ isPackaged: true, resourcesPath: resources });
    expect((packaged.window!.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    expect(rolesIn(find(menuOf(packaged), 'View'))).not.toContain('toggleDevTools');
    let closed = 0;
    packaged.window!.webContents.closeDevTools = () => void (closed += 1);
    packaged.window!.webContents.emit('devtools-opened');
    expect(closed).toBe(1);
    packaged.app.quit();
    restoreElectron();

    const userData = tempDir();
    writeFileSync(join(userData, 'shell.json'), JSON.stringify({ devTools: true }));
    const debug = await launch({ isPackaged: true, resourcesPath: resources, userData });
    expect((debug.window!.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    expect(rolesIn(find(menuOf(debug), 'View'))).toContain('toggleDevTools');
  });

  it('Settings › Troubleshooting switches DevTools and verbose logging through the contract; the shell keeps and applies them', async () => {
    const resources = packagedResources();
    const userData = tempDir();
    const packaged = await launch({ isPackaged: true, resourcesPath: resources, userData });
    const logFile = join(userData, 'logs', 'parallax.log');
    expect(await packaged.invoke('app:debug-get', {})).toMatchObject({
      ok: true,
      value: { devTools: false, verboseLogging: false, devToolsAvailable: false, restartNeeded: false, logFolder: join(userData, 'logs'), forced: { devTools: false, verboseLogging: false } },
    });
    await packaged.invoke('app:info', {});
    expect(readFileSync(logFile, 'utf8')).not.toMatch(/\[verbose\]/);

    // On: logging at once, the View menu at once, DevTools with the next window (its webPreferences are fixed).
    const saved = await packaged.invoke('app:debug-save', { devTools: true, verboseLogging: true });
    expect(saved).toMatchObject({ ok: true, value: { devTools: true, verboseLogging: true, devToolsAvailable: false, restartNeeded: true } });
    expect(JSON.parse(readFileSync(join(userData, 'shell.json'), 'utf8'))).toMatchObject({ devTools: true, verboseLogging: true });
    expect(rolesIn(find(menuOf(packaged), 'View'))).toContain('toggleDevTools');
    await packaged.invoke('app:info', {});
    await expect.poll(() => readFileSync(logFile, 'utf8')).toMatch(/\[verbose\] app:info answered in \d+\.\d ms/);
    expect(await packaged.invoke('app:reveal-logs', {})).toEqual({ ok: true, value: { shown: true } });
    expect(packaged.record.shownInFolder).toEqual([logFile]);
    expect(await packaged.invoke('app:debug-save', { devTools: 'yes', verboseLogging: true })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    packaged.app.quit();
    restoreElectron();

    // The next start opens the window with DevTools; turning them off closes them at once.
    const again = await launch({ isPackaged: true, resourcesPath: resources, userData });
    expect((again.window!.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    expect(await again.invoke('app:debug-get', {})).toMatchObject({ ok: true, value: { devTools: true, devToolsAvailable: true, restartNeeded: false } });
    let closed = 0;
    again.window!.webContents.closeDevTools = () => void (closed += 1);
    again.window!.webContents.emit('devtools-opened');
    expect(closed).toBe(0);
    expect(await again.invoke('app:debug-save', { devTools: false, verboseLogging: false })).toMatchObject({ ok: true, value: { devTools: false, devToolsAvailable: false } });
    expect(closed).toBe(1);
    expect(rolesIn(find(menuOf(again), 'View'))).not.toContain('toggleDevTools');
    again.window!.webContents.emit('devtools-opened');
    expect(closed).toBe(2);
    const before = readFileSync(logFile, 'utf8').length;
    await again.invoke('app:info', {});
    expect(readFileSync(logFile, 'utf8').slice(before)).not.toMatch(/\[verbose\]/);
    // The window's remembered bounds are saved on close with the switches as they are now.
    again.app.quit();
    expect(JSON.parse(readFileSync(join(userData, 'shell.json'), 'utf8'))).toMatchObject({ devTools: false, verboseLogging: false });
  });

  it('reads the sample corpus from process.resourcesPath in a packaged build (electron-builder extraResources)', async () => {
    const resources = packagedResources();
    // Only what the packaged resources hold: one handbook file, not the project's resources/corpus.
    mkdirSync(join(resources, 'corpus'));
    writeFileSync(join(resources, 'corpus', 'packaged-handbook.md'), '# Packaged handbook\n\nThe overdraft fee is $35 per item.\n');
    const packaged = await launch({ isPackaged: true, resourcesPath: resources });
    const added = await packaged.invoke('rag:add-sample', {});
    expect(added).toMatchObject({ ok: true, value: { name: 'AnyCompany Bank handbook', documentCount: 1 } });
    const detail = await packaged.invoke('rag:get', { corpusId: (added.value as { id: string }).id });
    expect((detail.value as { documents: { name: string }[] }).documents.map((d) => d.name)).toEqual(['packaged-handbook.md']);
  });

  it('says where the sample corpus should be when a packaged build lacks it, and adds no empty corpus', async () => {
    const resources = packagedResources();
    const packaged = await launch({ isPackaged: true, resourcesPath: resources });
    const added = await packaged.invoke('rag:add-sample', {});
    expect(added).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((added.error as { message: string }).message).toContain(join(resources, 'corpus'));
    expect(await packaged.invoke('rag:list', {})).toMatchObject({ ok: true, value: [] });
  });
});

describe('lifecycle', () => {
  it('a second launch hands over: the first instance focuses its window, the second opens nothing', async () => {
    const first = await launch();
    first.window!.minimize();
    first.app.emit('second-instance', {}, ['parallax'], process.cwd());
    expect(first.window!.calls).toEqual(expect.arrayContaining(['restore', 'focus']));
    expect(first.window!.isMinimized()).toBe(false);
    first.app.quit();
    restoreElectron();

    const userData = tempDir();
    const second = createFakeElectron({ userData, singleInstanceLock: false });
    current = second;
    loadBuilt('main.js', second, { env: { PARALLAX_LOG_ECHO: '0' } });
    second.ready();
    await new Promise((r) => setTimeout(r, 200));
    expect(second.record.quitCalls).toBe(1);
    expect(second.record.windows).toHaveLength(0);
    expect(second.record.ipcHandlers.size).toBe(0);
    expect(existsSync(join(userData, 'parallax.db'))).toBe(false);
  });

  it('on macOS stays open with no window and opens a new one on activate, still answering', async () => {
    const fake = await launch({ platform: 'darwin' });
    fake.window!.close();
    expect(fake.record.quitCalls).toBe(0);
    fake.app.emit('activate');
    expect(fake.record.windows.filter((w) => !w.isDestroyed())).toHaveLength(1);
    await expect.poll(() => fake.window!.webContents.mainFrame.url).not.toBe('');
    expect(await fake.invoke('app:info', {})).toMatchObject({ ok: true });
  });

  it('quits when the last window closes elsewhere, closing the database and logging it', async () => {
    const fake = await launch({ platform: 'linux' });
    fake.window!.close();
    expect(fake.record.quitCalls).toBe(1);
    const log = readFileSync(join(fake.app.getPath('userData'), 'logs', 'parallax.log'), 'utf8');
    expect(log).toMatch(/Parallax closed\./);
  });

  it('remembers the window size and position, and ignores a position on a display that is gone', async () => {
    const userData = tempDir();
    const first = await launch({ userData });
    first.window!.setBounds({ x: 300, y: 200, width: 1100, height: 700 });
    first.app.quit();
    restoreElectron();
    const second = await launch({ userData });
    expect(second.window!.options).toMatchObject({ x: 300, y: 200, width: 1100, height: 700 });
    second.window!.setBounds({ x: 2500, y: 200 });
    second.app.quit();
    restoreElectron();
    const third = await launch({ userData }); // one 1920×1080 display: x 2500 is off-screen
    expect(third.window!.options).toMatchObject({ width: 1100, height: 700 });
    expect(third.window!.options.x).toBeUndefined();
  });
});

describe('start-up failures: a dialog that says what is wrong and what to do, then a clean quit', () => {
  async function failing(options: Partial<FakeElectronOptions>) {
    const fake = await launch(options);
    await expect.poll(() => fake.record.exitCode).toBe(1);
    expect(fake.record.windows).toHaveLength(0);
    expect(fake.record.messageBoxes).toHaveLength(1);
    const box = fake.record.messageBoxes[0] as { title: string; message: string; detail: string; buttons: string[] };
    const logFile = join(fake.app.getPath('userData'), 'logs', 'parallax.log');
    expect(box.detail).toContain(logFile);
    expect(readFileSync(logFile, 'utf8')).toContain('[error] Start-up failed');
    return { fake, box };
  }

  it('a database from a newer Parallax', async () => {
    const userData = tempDir();
    const db = new Database(join(userData, 'parallax.db'));
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT; INSERT INTO schema_migrations VALUES (99, 'future', 0)");
    db.close();
    const { box } = await failing({ userData });
    expect(box.title).toBe('Your data needs a newer Parallax');
    expect(box.message).toMatch(/^The database was written by a newer Parallax \(schema 99; this version knows \d+\)\. Install the newer version/);
    expect(box.buttons).toEqual(['Quit', 'Open data folder']);
    // Nothing was changed: the file still says schema 99 only.
    const after = new Database(join(userData, 'parallax.db'), { readonly: true });
    expect(after.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([99]);
    after.close();
  });

  it('a database locked by another program', async () => {
    const userData = tempDir();
    const holder = new Database(join(userData, 'parallax.db'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('CREATE TABLE held (x); INSERT INTO held VALUES (1)');
    try {
      const { box } = await failing({ userData });
      expect(box.title).toBe('The database is in use');
      expect(box.message).toMatch(/parallax\.db is locked by another program\. Close any other copy of Parallax/);
    } finally {
      holder.close();
    }
  });

  it('a damaged database file, left untouched', async () => {
    const userData = tempDir();
    const garbage = Buffer.from('this is not an SQLite file at all '.repeat(200));
    writeFileSync(join(userData, 'parallax.db'), garbage);
    const { box, fake } = await failing({ userData, messageBoxResponse: 1 });
    expect(box.title).toBe('The database file is damaged');
    expect(box.message).toMatch(/To start from a backup instead/);
    expect(readFileSync(join(userData, 'parallax.db')).equals(garbage)).toBe(true);
    expect(fake.record.openedPaths).toEqual([userData]); // "Open data folder" was chosen
  });

  it('the native module missing from a packaged app', async () => {
    const { box } = await failing({ isPackaged: true, resourcesPath: tempDir() });
    expect(box.message).toMatch(/database module \(better_sqlite3\.node\) is missing from this installation\. Reinstall Parallax/);
  });

  it('a native module that cannot be loaded (damaged, or built for another system)', async () => {
    const appPath = tempDir();
    mkdirSync(join(appPath, 'native', 'electron'), { recursive: true });
    writeFileSync(join(appPath, 'native', 'electron', 'better_sqlite3.node'), 'not a shared library');
    const { box } = await failing({ appPath });
    expect(box.message).toMatch(/database module could not be loaded.*Run `npm run native:electron`/);
  });
});

describe('heavy database work runs off the main thread', () => {
  // Built once for the file: a history whose integrity check takes a noticeable while.
  const RUNS = 1500;
  let template = '';
  let exported = '';
  let inlineCheckMs = 0;
  beforeAll(async () => {
    const dir = tempDirKept();
    const services = createServices({ dataDir: dir, version: 'fixture' });
    generateHistory(services.db, { runs: RUNS });
    const started = performance.now();
    integrityReport(services.db);
    inlineCheckMs = performance.now() - started;
    exported = join(dir, 'history.json');
    await services.exporter.writeStream(services.db.prepare('SELECT id FROM runs').pluck().all() as string[], 'json', exported, 'All');
    services.db.pragma('wal_checkpoint(TRUNCATE)');
    services.close();
    template = join(dir, 'parallax.db');
  }, 180_000);

  it(`imports ${RUNS} runs in the built store worker: IPC answers meanwhile, progress goes to the transfer, and Cancel leaves nothing`, async () => {
    const fake = await launch({ openDialogPaths: [exported] });
    const sent = () => fake.window!.webContents.sent.filter((s) => s.channel === 'transfer:progress').map((s) => s.payload as { operationId: string; done: number; total: number });
    let finished = false;
    const imported = fake.invoke('import:file', { operationId: 'first' }).finally(() => (finished = true));
    const latencies: number[] = [];
    while (!finished) {
      const t0 = performance.now();
      expect((await fake.invoke('app:info', {})).ok).toBe(true);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await imported).toMatchObject({ ok: true, value: { status: 'done', imported: RUNS, skipped: 0 } });
    latencies.sort((a, b) => a - b);
    expect(latencies.length).toBeGreaterThan(3);
    expect(latencies[Math.floor(latencies.length * 0.95)]).toBeLessThan(100);
    const first = sent().filter((p) => p.operationId === 'first');
    expect(first.at(-1)).toMatchObject({ done: first.at(-1)!.total });
    expect(fake.window!.webContents.sent.filter((s) => s.channel === 'app:progress')).toEqual([]);
    expect(await fake.invoke('data:stats', {})).toMatchObject({ ok: true, value: { runs: RUNS } });

    fake.app.quit();
    restoreElectron();

    // The same file into an empty profile, cancelled once runs are being written: none stay.
    const empty = await launch({ openDialogPaths: [exported] });
    const progressOf = () => empty.window!.webContents.sent.filter((s) => s.channel === 'transfer:progress').map((s) => s.payload as { done: number; total: number });
    const again = empty.invoke('import:file', { operationId: 'second' });
    await expect.poll(() => progressOf().some((p) => p.done / p.total > 0.3), { timeout: 60_000 }).toBe(true);
    expect(await empty.invoke('transfer:cancel', { operationId: 'second' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await again).toMatchObject({ ok: false, error: { code: 'cancelled', message: expect.stringContaining('Nothing was saved') } });
    expect(await empty.invoke('data:stats', {})).toMatchObject({ ok: true, value: { runs: 0 } });
  }, 180_000);

  it(`answers IPC within 100 ms while the built store worker checks a ${RUNS}-run database`, async () => {
    const userData = tempDir();
    cpSync(template, join(userData, 'parallax.db'));
    const fake = await launch({ userData });
    const started = performance.now();
    let finished = 0;
    const check = fake.invoke('data:check', {}).then((result) => {
      finished = performance.now();
      return result;
    });
    const latencies: number[] = [];
    while (!finished) {
      const t0 = performance.now();
      const answer = await fake.invoke('app:info', {});
      latencies.push(performance.now() - t0);
      expect(answer.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await check).toMatchObject({ ok: true, value: { ok: true } });
    const checkMs = finished - started;
    // The check is long enough that, on the main thread, a call would have waited for it.
    expect(Math.min(checkMs, inlineCheckMs)).toBeGreaterThan(150);
    expect(latencies.length).toBeGreaterThan(3);
    expect(Math.max(...latencies)).toBeLessThan(100);
    // Progress went to the window.
    const progress = fake.window!.webContents.sent.filter((s) => s.channel === 'app:progress').map((s) => s.payload as { state: string; label: string });
    expect(progress.at(-1)).toMatchObject({ label: 'Checking the database', state: 'done' });
  });
});

describe('the built preload', () => {
  it('exposes only window.parallax with invoke and on, refusing unknown channels and events locally', async () => {
    const fake = createFakeElectron({ userData: tempDir() });
    loadBuilt('preload.js', fake);
    expect([...fake.record.exposed.keys()]).toEqual(['parallax']);
    const bridge = fake.record.exposed.get('parallax') as {
      invoke(channel: unknown, request: unknown): Promise<unknown>;
      on(event: unknown, listener: (payload: unknown) => void): () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(await bridge.invoke('shell:exec', { cmd: 'rm -rf /' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await bridge.invoke('app:info', {})).toEqual({ ok: true, value: { echoed: 'app:info' } });
    expect(fake.record.rendererInvokes).toEqual([{ channel: 'app:info', request: {} }]);

    const payloads: unknown[] = [];
    const off = bridge.on('app:command', (payload) => payloads.push(payload));
    bridge.on('not:an-event', () => payloads.push('leak'));
    expect([...fake.record.rendererListeners.keys()]).toEqual(['app:command']);
    const sender = { send: () => undefined };
    for (const listener of fake.record.rendererListeners.get('app:command')!) listener({ sender }, { command: 'settings' });
    expect(payloads).toEqual([{ command: 'settings' }]); // the payload only, never the IPC event or its sender
    off();
    expect(fake.record.rendererListeners.get('app:command')).toEqual([]);
  });
});
