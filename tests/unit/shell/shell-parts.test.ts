/** The shell's plain-Node parts: the log file, start-up failure messages, remembered bounds. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rememberSecrets } from '../../../electron/services/bedrock/errors';
import { createLog } from '../../../electron/shell/log';
import { fitWindow } from '../../../electron/shell/state';
import { describeStartupFailure, NativeModuleMissingError } from '../../../electron/shell/startup-errors';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-log-'));
  dirs.push(dir);
  return dir;
};

describe('the log file', () => {
  it('rotates at its size limit, keeping a fixed number of older files', () => {
    const dir = temp();
    const log = createLog({ dir, maxBytes: 1_000, keep: 2, now: () => 0 });
    for (let i = 0; i < 60; i += 1) log.info(`line ${i} ${'x'.repeat(40)}`);
    expect(existsSync(join(dir, 'parallax.log'))).toBe(true);
    expect(existsSync(join(dir, 'parallax.1.log'))).toBe(true);
    expect(existsSync(join(dir, 'parallax.2.log'))).toBe(true);
    expect(existsSync(join(dir, 'parallax.3.log'))).toBe(false);
    for (const file of ['parallax.log', 'parallax.1.log', 'parallax.2.log']) expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(1_000);
    expect(readFileSync(join(dir, 'parallax.log'), 'utf8')).toContain('line 59');
  });

  it('never writes credentials, and writes prompts and outputs only with verbose logging on', () => {
    const dir = temp();
    rememberSecrets('s3cr3t-value-the-sdk-used-1234');
    const quiet = createLog({ dir });
    quiet.error('Bedrock call failed', new Error('echo s3cr3t-value-the-sdk-used-1234 aws_secret_access_key=abcd1234efgh AKIAABCDEFGHIJKLMNOP'));
    quiet.verbose('prompt: Who makes a better engineer?');
    const text = readFileSync(quiet.file, 'utf8');
    expect(text).toContain('[error] Bedrock call failed');
    expect(text).not.toContain('s3cr3t-value-the-sdk-used-1234');
    expect(text).not.toContain('abcd1234efgh');
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(text).not.toContain('better engineer');
    createLog({ dir, verbose: true }).verbose('prompt: Who makes a better engineer?');
    expect(readFileSync(quiet.file, 'utf8')).toContain('[verbose] prompt: Who makes a better engineer?');
  });
});

describe('start-up failure messages', () => {
  const context = { dbPath: '/home/a/.config/Parallax/parallax.db', logFile: '/home/a/.config/Parallax/logs/parallax.log', packaged: false };
  it('names a wrong-ABI native module and the command that fixes it', () => {
    const error = Object.assign(
      new Error(
        "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
      ),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const problem = describeStartupFailure(error, context);
    expect(problem.kind).toBe('native-abi');
    expect(problem.message).toBe(
      "Parallax's database module was built for a different version of Electron or Node (ABI 115; this app needs ABI 140). Run `npm run native:electron` in the project folder, then `npm start` again (see README, \"Native module\").",
    );
    expect(describeStartupFailure(error, { ...context, packaged: true }).message).toMatch(/Reinstall Parallax/);
    expect(problem.detail).toContain(context.logFile);
  });

  it('tells a missing module, a locked file and an unknown failure apart', () => {
    expect(describeStartupFailure(new NativeModuleMissingError('/x/better_sqlite3.node'), context).kind).toBe('native-missing');
    expect(describeStartupFailure(new Error('Could not locate the bindings file. Tried: …'), context).kind).toBe('native-missing');
    expect(describeStartupFailure(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), context)).toMatchObject({ kind: 'locked', folder: '/home/a/.config/Parallax' });
    expect(describeStartupFailure(Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }), context).kind).toBe('no-access');
    const unknown = describeStartupFailure(new Error('boom.'), context);
    expect(unknown).toMatchObject({ kind: 'unknown', title: 'Parallax could not start' });
    expect(unknown.message).toContain('boom.');
  });
});

describe('remembered window bounds', () => {
  const displays = [{ x: 0, y: 0, width: 1440, height: 900 }];
  it('keeps size and position on a display that exists, clamps the size, drops a lost position', () => {
    expect(fitWindow({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, displays, { width: 1360, height: 860 }, { width: 960, height: 600 })).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: true });
    expect(fitWindow({ x: 100, y: 50, width: 5000, height: 300, maximized: false }, displays, { width: 1360, height: 860 }, { width: 960, height: 600 })).toEqual({ x: 100, y: 50, width: 1440, height: 600, maximized: false });
    expect(fitWindow({ x: -3000, y: 50, width: 1200, height: 800, maximized: false }, displays, { width: 1360, height: 860 }, { width: 960, height: 600 })).toEqual({ width: 1200, height: 800, maximized: false });
    expect(fitWindow(undefined, displays, { width: 1360, height: 860 }, { width: 960, height: 600 })).toEqual({ width: 1360, height: 860, maximized: false });
  });
});
