// `npm run native:electron`: gets better-sqlite3 for Electron's ABI into
// native/electron/better_sqlite3.node, in a copy of the package, so node_modules keeps its
// Node-ABI build for the tests. The app passes this file to better-sqlite3's `nativeBinding`
// option (electron/main.ts). Skipped when the output is already there for this Electron version.
//
// Route, most reliable first, on macOS, Windows and Linux alike:
//   1. a prebuilt binary for Electron's ABI (prebuild-install, from better-sqlite3's releases);
//   2. a source build with node-gyp against Electron's headers (needs Python and a C++ toolchain).
// When both fail: ONE message saying what is missing and what to do; the tools' own output
// goes to .cache/electron-native/build.log, never a raw stack trace on the screen.
//
// Environment (mostly for tests and mirrors): PARALLAX_NATIVE_OUT (output folder), PARALLAX_NATIVE_CACHE,
// PARALLAX_ELECTRON_HEADERS_URL (node-gyp --dist-url), npm_config_better_sqlite3_binary_host
// (prebuild-install's download host), PARALLAX_NATIVE_SKIP_PREBUILT=1, PARALLAX_NATIVE_SKIP_SOURCE=1.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const outDir = process.env.PARALLAX_NATIVE_OUT ?? join(root, 'native', 'electron');
const output = join(outDir, 'better_sqlite3.node');
const stamp = join(outDir, 'BUILT_FOR');
const { platform, arch } = process;
const wanted = `electron ${electronVersion}, better-sqlite3 ${sqliteVersion}, ${platform}-${arch}`;
const headersUrl = process.env.PARALLAX_ELECTRON_HEADERS_URL ?? 'https://electronjs.org/headers';
const cacheDir = process.env.PARALLAX_NATIVE_CACHE ?? join(root, '.cache', 'electron-native');
const logFile = join(cacheDir, 'build.log');

if (existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
  console.log(`native/electron is up to date (${wanted}).`);
  process.exit(0);
}

mkdirSync(cacheDir, { recursive: true });
writeFileSync(logFile, `better-sqlite3 for ${wanted}\n`);
const work = join(cacheDir, 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(sqliteDir, work, { recursive: true, filter: (src) => !relative(sqliteDir, src).split(/[\\/]/).includes('build') });

/** Runs a tool with its output captured into the log; returns { ok, text }. */
function run(label, args) {
  appendFileSync(logFile, `\n$ ${label}: node ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, args, {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, npm_config_nodedir: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  appendFileSync(logFile, text);
  return { ok: result.status === 0, text };
}

const built = () => join(work, 'build', 'Release', 'better_sqlite3.node');
const builtOk = () => existsSync(built()) && statSync(built()).size > 0;

/** node-gyp: npm's own (npm sets npm_config_node_gyp), then the project's, then npm's layouts on each OS. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    (() => {
      try {
        return require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        return undefined;
      }
    })(),
    // Windows: <node dir>\node_modules\npm ; macOS/Linux: <prefix>/lib/node_modules/npm
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((path) => path && existsSync(path));
}

const OFFLINE = /ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|getaddrinfo|socket hang up|fetch failed|self[- ]signed|certificate|network|proxy/i;
const failures = [];

// 1. A prebuilt binary for Electron's ABI.
if (process.env.PARALLAX_NATIVE_SKIP_PREBUILT !== '1') {
  let prebuild;
  try {
    prebuild = require.resolve('prebuild-install/bin.js', { paths: [sqliteDir] });
  } catch {
    prebuild = undefined;
  }
  if (!prebuild) {
    failures.push('Prebuilt binary: prebuild-install is not installed (run `npm ci`).');
  } else {
    console.log(`Fetching a prebuilt better-sqlite3 for ${wanted} …`);
    const { ok, text } = run('prebuild-install', [prebuild, '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, `--platform=${platform}`, '--verbose']);
    if (ok && builtOk()) {
      finish('prebuilt binary');
    } else if (/404|not found/i.test(text) && !OFFLINE.test(text)) {
      failures.push(`Prebuilt binary: none is published for ${wanted}.`);
    } else {
      failures.push(`Prebuilt binary: could not be downloaded (${OFFLINE.test(text) ? 'offline, or the download is blocked' : 'see the log'}).`);
    }
  }
}

// 2. A source build against Electron's headers.
if (process.env.PARALLAX_NATIVE_SKIP_SOURCE !== '1') {
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) {
    failures.push('Source build: node-gyp was not found (it comes with npm; run `npm install -g node-gyp` or reinstall Node.js with npm).');
  } else {
    console.log(`Building better-sqlite3 from source for ${wanted} (a few minutes) …`);
    const { ok, text } = run('node-gyp', [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${headersUrl}`, '--runtime=electron']);
    if (ok && builtOk()) finish('source build');
    else failures.push(`Source build: ${diagnose(text)}`);
  }
}

fail();

function diagnose(text) {
  // The headers download comes first; when it failed, nothing was compiled.
  if (/install got an error|download/i.test(text) && OFFLINE.test(text)) {
    return `Electron's headers could not be downloaded from ${headersUrl} (offline, or the download is blocked).`;
  }
  if (/You need to install the latest version of Python|Could not find any Python|Python is not set from/i.test(text)) {
    return 'Python 3 was not found. Install Python 3 (python.org, or your package manager) and try again.';
  }
  if (/Visual Studio|MSBuild|msvs_version|VCBuild/i.test(text)) {
    return 'no C++ build tools were found. Install "Desktop development with C++" from the Visual Studio Build Tools and try again.';
  }
  if (/xcode-select|xcrun|No Xcode or CLT/i.test(text)) {
    return 'the Xcode command line tools are missing. Run `xcode-select --install` and try again.';
  }
  if (/(make|g\+\+|c\+\+|cc|gcc): (command )?not found|not found: make|No such file or directory.*(g\+\+|make)/i.test(text)) {
    return 'no C++ compiler or make was found. Install them (Debian/Ubuntu: `sudo apt install build-essential`; Fedora: `sudo dnf install gcc-c++ make`) and try again.';
  }
  if (OFFLINE.test(text)) {
    return `Electron's headers could not be downloaded from ${headersUrl} (offline, or the download is blocked).`;
  }
  return 'the compiler failed (see the log).';
}

function finish(route) {
  mkdirSync(outDir, { recursive: true });
  cpSync(built(), output);
  writeFileSync(stamp, wanted);
  console.log(`Wrote ${relative(root, output) || output} (${wanted}) from a ${route}.`);
  process.exit(0);
}

function fail() {
  const offline = failures.some((f) => /offline/.test(f));
  const todo = offline
    ? 'Connect to the internet (or set HTTPS_PROXY for a proxy) and run `npm run native:electron` again.'
    : 'Fix what is listed above and run `npm run native:electron` again.';
  console.error(
    [
      '',
      `✗ Could not get better-sqlite3 for Electron (${wanted}).`,
      ...failures.map((f) => `  • ${f}`),
      `  What to do: ${todo}`,
      `  The tools' full output is in ${relative(root, logFile) || logFile}. The tests (npm test) do not need this step.`,
      '',
    ].join('\n'),
  );
  process.exit(1);
}
