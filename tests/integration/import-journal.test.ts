/**
 * Imports are all-or-nothing from the user's view (issue 14): an import killed with SIGKILL
 * half-way (a child process running the app's services and store worker, several batches
 * already committed) or cancelled half-way leaves the history exactly as it was — every table,
 * the search index, the sidebar's counters, tags, packs, images — and the same file then imports
 * whole. Rows that were there before (a tag the import shares, a collection) are never touched.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../electron/services';
import type { Db } from '../../electron/services/store';
import { contentChecksum, generateHistory, seedRealisticRuns } from '../support/history-fixtures';
import { sourceStoreWorker } from '../support/store-worker';

const FILE_RUNS = 3_000;
const MINE = 40;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-import-journal-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const runIds = (db: Db) => db.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as string[];

let jsonFile = '';
let packFile = '';
let fileIds: string[] = [];

// The big files are made once for the file: 3,000 generated runs, tagged (one tag the target
// also has, one it has not), in a collection, plus runs with images; as JSON and as a pack.
beforeAll(async () => {
  const source = createServices({ dataDir: tempDir(), version: 't' });
  try {
    generateHistory(source.db, { runs: FILE_RUNS, idPrefix: 'file-' });
    const realistic = seedRealisticRuns(source, Date.UTC(2025, 6, 1));
    fileIds = runIds(source.db);
    source.history.tag(fileIds.slice(0, 2_000), ['shared', 'only-in-the-file'], []);
    source.history.tag(realistic, ['only-in-the-file'], []);
    const collection = source.history.createCollection('From the file', '', fileIds.slice(100, 200));
    const dir = tempDir();
    jsonFile = join(dir, 'big.json');
    packFile = join(dir, 'big.parallax');
    expect(await source.exporter.writeStream(fileIds, 'json', jsonFile, 'Everything', { collectionIds: [collection.id] })).toBe(fileIds.length);
    expect(await source.packs.writeStream(packFile, fileIds, { title: 'Big workshop', author: 'Ana', description: '' })).toBe(fileIds.length);
  } finally {
    source.close();
  }
}, 600_000);

/** A history of its own: runs, a tag the file shares, a collection. Returns its data folder and content. */
function ownHistory(): { dataDir: string; before: string } {
  const dataDir = tempDir();
  const services = createServices({ dataDir, version: 't' });
  try {
    generateHistory(services.db, { runs: MINE, idPrefix: 'mine-', seed: 3 });
    const mine = runIds(services.db);
    services.history.tag(mine.slice(0, 10), ['shared'], []);
    services.history.createCollection('Mine', 'kept', mine.slice(0, 5));
    return { dataDir, before: contentChecksum(services.db) };
  } finally {
    services.close();
  }
}

function journalEmpty(db: Db): void {
  expect(count(db, 'SELECT COUNT(*) FROM imports')).toBe(0);
  expect(count(db, 'SELECT COUNT(*) FROM import_rows')).toBe(0);
}

/** The same file imports whole afterwards: every run, nothing skipped, its collection (JSON) with it. */
async function retryImportsAll(services: Services, path: string, collections: [string, number][]): Promise<void> {
  const { report } = await services.exporter.importStream(path);
  expect(report).toMatchObject({ imported: fileIds.length, skipped: 0 });
  expect(count(services.db, 'SELECT COUNT(*) FROM runs')).toBe(MINE + fileIds.length);
  expect(services.history.collections().map((c) => [c.name, c.runCount]).sort()).toEqual(collections);
  journalEmpty(services.db);
}

describe('an import is all or nothing', () => {
  it('killed with SIGKILL half-way (batches already committed), the next start takes it back; a retry imports it all', async () => {
    const { dataDir, before } = ownHistory();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../support/import-child.ts'), dataDir, jsonFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise((done) => child.once('exit', done));
    // Kill it once it is past a third of the file and batches of it are on disk.
    const watcher = new Database(join(dataDir, 'parallax.db'), { readonly: true, fileMustExist: true });
    let committed = 0;
    await new Promise<void>((done, fail) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const fractions = [...text.matchAll(/progress ([\d.]+)/g)].map((m) => Number(m[1]));
        if ((fractions.at(-1) ?? 0) < 0.35) return;
        committed = count(watcher, 'SELECT COUNT(*) FROM runs') - MINE;
        if (committed <= 0) return;
        child.kill('SIGKILL');
        done();
      });
      child.once('exit', () => fail(new Error(`the child ended before it was killed:\n${text}\n${out}`)));
    });
    watcher.close();
    await exited;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(fileIds.length);

    const started = performance.now();
    const reopened = createServices({ dataDir, version: 't' });
    const reopenMs = performance.now() - started;
    try {
      expect(contentChecksum(reopened.db)).toBe(before);
      journalEmpty(reopened.db);
      console.info(`import killed after ${committed} committed runs; the next start took them back in ${reopenMs.toFixed(0)} ms`);
      await retryImportsAll(reopened, jsonFile, [
        ['From the file', 100],
        ['Mine', 5],
      ]);
    } finally {
      reopened.close();
    }
  }, 600_000);

  it('cancelled half-way in the store worker (a pack, with its own pack record), nothing is left; a retry imports it all', async () => {
    const { dataDir, before } = ownHistory();
    const services = createServices({ dataDir, version: 't', storeWorker: sourceStoreWorker() });
    try {
      const stop = new AbortController();
      let committed = 0;
      const error = await services.exporter
        .importStream(packFile, {
          signal: stop.signal,
          onProgress: (done, total) => {
            if (done / total < 0.5 || stop.signal.aborted) return;
            committed = count(services.db, 'SELECT COUNT(*) FROM runs') - MINE;
            if (committed > 0) stop.abort();
          },
        })
        .then(
          () => null,
          (e: unknown) => e as { code?: string; message: string },
        );
      expect(error).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/Nothing was saved/) });
      expect(committed).toBeGreaterThan(0);
      expect(contentChecksum(services.db)).toBe(before);
      expect(services.history.packs()).toEqual([]);
      journalEmpty(services.db);
      await retryImportsAll(services, packFile, [['Mine', 5]]);
      expect(services.history.packs()).toMatchObject([{ title: 'Big workshop', runCount: fileIds.length }]);
    } finally {
      services.close();
    }
  }, 600_000);

  it('an import journal left by an older crash is taken back at start-up without touching runs saved since', () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    const services = createServices({ dataDir, version: 't' });
    generateHistory(services.db, { runs: 5, idPrefix: 'mine-' });
    const before = contentChecksum(services.db);
    // A crash right after the journal noted an import and two of its runs (the rest never came).
    generateHistory(services.db, { runs: 2, idPrefix: 'half-' });
    services.db.prepare("INSERT INTO imports (id, source, started_at) VALUES ('crashed', 'x.json', 1)").run();
    for (const id of ['half-0000000', 'half-0000001']) services.db.prepare("INSERT INTO import_rows (import_id, kind, key) VALUES ('crashed', 'run', ?)").run(id);
    services.close();
    const reopened = createServices({ dataDir, version: 't' });
    try {
      expect(runIds(reopened.db)).toEqual(['mine-0000000', 'mine-0000001', 'mine-0000002', 'mine-0000003', 'mine-0000004']);
      expect(contentChecksum(reopened.db)).toBe(before);
      journalEmpty(reopened.db);
    } finally {
      reopened.close();
    }
  });
});
