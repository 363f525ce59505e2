/**
 * The real Electron app, driven by Playwright. It runs only where an Electron binary and the
 * Electron-ABI build of better-sqlite3 exist (see README); elsewhere it says why it skipped.
 * Every behaviour checked here is also covered in Chromium by the harness tests.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');

function electronBinary(): { path?: string; reason?: string } {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = override ? join(override, relative) : join(pkg, 'dist', relative);
  if (!existsSync(binary)) {
    return { reason: `no Electron binary at ${binary} (it is downloaded on first use and this machine cannot reach the download host)` };
  }
  if (!existsSync(join(root, 'native', 'electron', 'better_sqlite3.node'))) {
    return { reason: 'better-sqlite3 has no Electron-ABI build yet: run `npm run native:electron`' };
  }
  if (!existsSync(join(root, 'dist-electron', 'main.js'))) return { reason: 'the app is not built: run `npm run build`' };
  return { path: binary };
}

const electron = electronBinary();
if (!electron.path) console.log(`[electron-smoke] skipped: ${electron.reason}`);

describe.skipIf(!electron.path)('the real Electron app', () => {
  it('opens one locked-down window and saves an experiment through the preload', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'parallax-electron-'));
    const app = await _electron.launch({
      executablePath: electron.path!,
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, PARALLAX_USER_DATA: userData },
    });
    try {
      const page = await app.firstWindow();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      const exposed = await page.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        bridge: Object.keys(window.parallax ?? {}).sort(),
      }));
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', bridge: ['invoke', 'on'] });

      await page.getByRole('button', { name: 'New experiment' }).click();
      await page.getByLabel('Name').fill('From real Electron');
      await page.getByRole('button', { name: 'Create experiment' }).click();
      await expect.poll(() => page.getByText('From real Electron').isVisible()).toBe(true);

      const before = page.url();
      await page.evaluate(() => window.location.assign('https://example.com/'));
      await page.waitForTimeout(300);
      expect(page.url()).toBe(before);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
