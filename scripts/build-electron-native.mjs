// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, in a copy
// of the package, so node_modules keeps its Node-ABI build for the tests. The app passes this
// file to better-sqlite3's `nativeBinding` option (electron/main.ts). Needs the network once
// (Electron headers); skipped when the output is already there for this Electron version.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const electronVersion = require('electron/package.json').version;
const sqliteDir = join(root, 'node_modules', 'better-sqlite3');
const sqliteVersion = require('better-sqlite3/package.json').version;
const outDir = join(root, 'native', 'electron');
const stamp = join(outDir, 'BUILT_FOR');
const wanted = `electron ${electronVersion}, better-sqlite3 ${sqliteVersion}, ${process.platform}-${process.arch}`;

if (existsSync(join(outDir, 'better_sqlite3.node')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
  console.log(`native/electron is up to date (${wanted}).`);
  process.exit(0);
}

const work = join(root, '.cache', 'electron-native', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });

const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm')] });
console.log(`Building better-sqlite3 for ${wanted} …`);
execFileSync(
  process.execPath,
  [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'],
  { cwd: work, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
);
mkdirSync(outDir, { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
writeFileSync(stamp, wanted);
console.log(`Wrote native/electron/better_sqlite3.node (${wanted}).`);
