/**
 * electron-builder.yml, checked without packaging (which needs downloads our machines cannot
 * make): electron-builder's own schema, paths that exist, icons in each platform's format, the
 * fuses, every target's required metadata, and `dependencies` holding exactly what the built
 * main process loads at run time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_ELECTRON, ensureBuiltElectron } from '../../support/fake-electron';

const root = resolve(__dirname, '..', '..', '..');
const require = createRequire(__filename);

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: (string | { filter: string[] })[];
  extraResources: { from: string; to: string; filter: string[] }[];
  asarUnpack: string[];
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  mac: { icon: string; category: string; target: string; hardenedRuntime: boolean };
  win: { icon: string; target: string };
  linux: { icon: string; category: string; maintainer?: string; target: string[] };
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  homepage?: string;
  description?: string;
  author?: { name: string; email: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let config: BuilderConfig;
let validate: (config: unknown) => Promise<void>;

beforeAll(async () => {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, path: string | null, options: null): Promise<BuilderConfig>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  validate = (candidate) => validateConfiguration(candidate, new DebugLogger(false));
  ensureBuiltElectron();
}, 180_000);

const read = (path: string) => readFileSync(join(root, path));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, and the schema check can fail", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).rejects.toThrow(/electronFuses/);
  }, 60_000);

  it('sets the fuses: no RunAsNode, NODE_OPTIONS or CLI inspect; app only from an integrity-checked asar; cookies encrypted', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('has an icon in each platform’s format, in folders that exist', () => {
    expect(statSync(join(root, config.directories.buildResources)).isDirectory()).toBe(true);
    const icns = read(config.mac.icon);
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true); // the 1024 px entry macOS wants
    const ico = read(config.win.icon);
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toContain(256);
    const linuxIcons = readdirSync(join(root, config.linux.icon));
    expect(linuxIcons).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']));
    const png = read(join(config.linux.icon, '512x512.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('packs the built app, reads the native module from resources, and unpacks native code from the asar', () => {
    const files = config.files.flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry as { filter: string[] }).filter));
    expect(files).toEqual(expect.arrayContaining(['dist/**/*', 'dist-electron/**/*', 'package.json']));
    expect(pkg.main.startsWith('dist-electron/')).toBe(true);
    expect(config.npmRebuild).toBe(false);
    const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
    // Every extra resource is one the app reads (process.resourcesPath/native/electron, and the
    // sample corpus under process.resourcesPath/corpus), and every file the sample needs ships.
    expect(config.extraResources.map((r) => r.to)).toEqual(['native/electron', 'corpus']);
    expect(main).toContain("join(base, 'native', 'electron', 'better_sqlite3.node')");
    expect(main).toContain('app.isPackaged ? process.resourcesPath');
    const corpus = config.extraResources.find((r) => r.to === 'corpus')!;
    const shipped = readdirSync(join(root, corpus.from)).filter((name) => corpus.filter.some((glob) => name.endsWith(glob.replace('*', ''))));
    expect(shipped.sort()).toEqual(readdirSync(join(root, 'resources', 'corpus')).filter((name) => /\.(md|txt|pdf)$/.test(name)).sort());
    expect(shipped.length).toBeGreaterThan(0);
    expect(readFileSync(join(root, 'scripts', 'build-electron-native.mjs'), 'utf8')).toContain("join(root, 'native', 'electron')");
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**']));
  });

  it('gives every target the metadata it requires', () => {
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Parallax');
    expect(pkg.description?.length).toBeGreaterThan(10);
    // .deb: a maintainer with an e-mail address, and a homepage.
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage']));
    expect(config.linux.maintainer ?? `${pkg.author?.name} <${pkg.author?.email}>`).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(config.linux.category).toBeTruthy();
    expect(config.mac.category).toMatch(/^public\.app-category\./);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toBe('nsis');
  });

  it('lists in dependencies exactly the packages the built main process loads at run time', () => {
    const requires = new Set<string>();
    for (const file of readdirSync(DIST_ELECTRON).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(DIST_ELECTRON, file), 'utf8');
      // The bundler writes require("x") and import(`x`); text inside messages is neither.
      for (const match of text.matchAll(/require\("([^"./][^"]*)"\)|import\(`([^`./$][^`$]*)`\)/g)) requires.add((match[1] ?? match[2])!);
    }
    const external = [...requires]
      .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name) && name !== 'electron')
      .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!))
      // The SDK's optional CRT signer is loaded in a try/catch and never shipped.
      .filter((name) => name !== '@aws-sdk/signature-v4-crt');
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...new Set(external)].sort());
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(join(root, 'node_modules', name)), name).toBe(true);
  });
});
