/** scripts/build-electron-native.mjs: up to date is a no-op; offline ends in one clear message. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const script = join(root, 'scripts', 'build-electron-native.mjs');
const version = (pkg: string) => (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
const wanted = `electron ${version('electron')}, better-sqlite3 ${version('better-sqlite3')}, ${process.platform}-${process.arch}`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp() {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-native-'));
  dirs.push(dir);
  return dir;
}

function runScript(env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
}

describe('npm run native:electron', () => {
  it('does nothing when the Electron build is already there for this version', () => {
    const out = temp();
    writeFileSync(join(out, 'better_sqlite3.node'), 'binary');
    writeFileSync(join(out, 'BUILT_FOR'), wanted);
    const result = runScript({ PARALLAX_NATIVE_OUT: out, PARALLAX_NATIVE_CACHE: temp() });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`native/electron is up to date (${wanted})`);
  });

  it('offline: tries the prebuilt binary, then the source build, and ends in one message saying what to do', () => {
    const out = join(temp(), 'native');
    const cache = temp();
    mkdirSync(out, { recursive: true });
    const unreachable = 'http://127.0.0.1:59999';
    const result = runScript({
      PARALLAX_NATIVE_OUT: out,
      PARALLAX_NATIVE_CACHE: cache,
      npm_config_better_sqlite3_binary_host: unreachable,
      PARALLAX_ELECTRON_HEADERS_URL: unreachable,
    });
    expect(result.status).toBe(1);
    const shown = `${result.stdout}${result.stderr}`;
    expect(shown).toContain(`✗ Could not get better-sqlite3 for Electron (${wanted}).`);
    expect(shown).toContain('Prebuilt binary: could not be downloaded (offline, or the download is blocked).');
    expect(shown).toContain(`Source build: Electron's headers could not be downloaded from ${unreachable}`);
    expect(shown).toContain('What to do: Connect to the internet (or set HTTPS_PROXY for a proxy) and run `npm run native:electron` again.');
    expect(shown).not.toMatch(/gyp ERR!|\bat [\w.]+ \(|stack/); // no raw tool output or stack trace
    expect(existsSync(join(out, 'better_sqlite3.node'))).toBe(false);
    expect(readFileSync(join(cache, 'build.log'), 'utf8')).toContain('ECONNREFUSED'); // the detail is kept in the log
  }, 120_000);
});
