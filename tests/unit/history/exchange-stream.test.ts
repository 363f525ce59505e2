/**
 * Exports and imports that stream (issue 15) and the audit's bad inputs (issue 14, item 8):
 * a 20,000-run history round-trips through one JSON file; old files (pretty-printed, format 1
 * and 2) still import; every export escapes what a person or a pack supplied and shows bidi and
 * zero-width characters; deep nesting is refused with where; skipped runs are named with why;
 * long transfers report progress and cancel without leaving anything behind.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createServices, type Services } from '../../../electron/services';
import { BundleScanner, FORMAT_VERSION, readBundle, MAX_DEPTH } from '../../../electron/services/export';
import { contentChecksum, generateHistory, seedRealisticRuns } from '../../support/history-fixtures';
import type { Db } from '../../../electron/services/store';

/** The history's content (every table but the migration log, whose times differ per database). */
function content(db: Db): string {
  const hide = db.prepare('SELECT * FROM schema_migrations').all();
  db.exec('CREATE TEMP TABLE IF NOT EXISTS saved_migrations AS SELECT * FROM schema_migrations WHERE 0');
  db.exec('INSERT INTO saved_migrations SELECT * FROM schema_migrations; DELETE FROM schema_migrations');
  try {
    return contentChecksum(db);
  } finally {
    db.exec('INSERT INTO schema_migrations SELECT * FROM saved_migrations; DELETE FROM saved_migrations');
    expect(db.prepare('SELECT * FROM schema_migrations').all()).toEqual(hide);
  }
}

const dirs: string[] = [];
const open: Services[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-stream-'));
  dirs.push(dir);
  return dir;
}
function services(dataDir = tempDir()): Services {
  const s = createServices({ dataDir, version: '1.2.3' });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const allIds = (s: Services) => s.db.prepare('SELECT id FROM runs ORDER BY started_at, rowid').pluck().all() as string[];

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('streaming JSON export and import', () => {
  it('round-trips a 20,000-run history through one JSON file, with progress, in bounded pieces', async () => {
    const source = services();
    generateHistory(source.db, { runs: 20_000 });
    const ids = allIds(source);
    const out = join(tempDir(), 'all.json');
    const progress: number[] = [];
    const written = await source.exporter.writeStream(ids, 'json', out, 'Everything', {}, { onProgress: (done) => progress.push(done) });
    expect(written).toBe(20_000);
    expect(progress.at(-1)).toBe(20_000);
    expect(progress.length).toBeGreaterThan(100);
    // One run per line after the bundle's own fields: a reader can take them one at a time.
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n').length).toBeGreaterThan(20_000);
    expect(() => JSON.parse(text)).not.toThrow();

    const target = services();
    const importProgress: number[] = [];
    const result = await target.exporter.importStream(out, { onProgress: (done, total) => importProgress.push(done / total) });
    expect(result.report).toMatchObject({ imported: 20_000, skipped: 0 });
    expect(importProgress.at(-1)).toBe(1);
    expect(importProgress.some((p) => p > 0.2 && p < 0.8)).toBe(true);
    expect(content(target.db)).toBe(content(source.db));

  }, 1_800_000);

  it('still imports the files older versions wrote: pretty-printed format 2, format 1, packs', async () => {
    const source = services();
    const ids = seedRealisticRuns(source, Date.UTC(2025, 2, 1, 12));
    const bundle = source.exporter.bundle(ids);
    const dir = tempDir();
    const v2 = join(dir, 'old-v2.json');
    writeFileSync(v2, `${JSON.stringify(bundle, null, 1)}\n`);
    const { runs: _runs, ...rest } = bundle;
    const v1 = join(dir, 'old-v1.json');
    writeFileSync(
      v1,
      JSON.stringify({ ...rest, formatVersion: 1, runs: bundle.runs.map(({ scores: _s, armRatings: _a, runRating: _r, ...run }) => run) }, null, 2),
    );
    const first = services();
    expect((await first.exporter.importStream(v2)).report.imported).toBe(ids.length);
    expect(first.exporter.bundle(ids).runs).toEqual(bundle.runs);
    const second = services();
    expect((await second.exporter.importStream(v1)).report.imported).toBe(ids.length);
    expect(second.exporter.bundle(ids).runs.map((run) => run.arms)).toEqual(bundle.runs.map((run) => run.arms));

    // A pack written as a stream (gzip'd) opens with the streaming import too, under its pack.
    const pack = join(dir, 'workshop.parallax');
    expect(await source.packs.writeStream(pack, ids, { title: 'Workshop 3', author: 'Ana', description: 'd' })).toBe(ids.length);
    expect(JSON.parse(gunzipSync(readFileSync(pack)).toString('utf8')).kind).toBe('pack');
    const trainee = services();
    const result = await trainee.exporter.importStream(pack);
    expect(result.report.imported).toBe(ids.length);
    expect(result.pack?.title).toBe('Workshop 3');
    expect(trainee.history.packs()[0]).toMatchObject({ title: 'Workshop 3', runCount: ids.length });
  });

  it('refuses truncated, invalid and not-ours files with where, writing nothing', async () => {
    const source = services();
    const ids = seedRealisticRuns(source, Date.UTC(2025, 2, 1, 12));
    const dir = tempDir();
    const good = join(dir, 'good.json');
    await source.exporter.writeStream(ids, 'json', good, 'All');
    const text = readFileSync(good, 'utf8');
    const write = (name: string, data: string) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };
    const target = services();
    const cases: [string, string, RegExp][] = [
      ['truncated', write('cut.json', text.slice(0, Math.floor(text.length * 0.6))), /truncated/],
      ['bad run', write('bad.json', text.replace('"status":"completed"', '"status":"exploded"')), /runs\[\d+\]\.status/],
      ['broken JSON', write('broken.json', text.replace(/\n\{/, '\n{,')), /not valid JSON in runs\[\d+\] \(from line \d+\)/],
      ['not an object', write('array.json', '[1,2,3]'), /not a Parallax export/],
      ['newer', write('newer.json', text.replace(`"formatVersion":${FORMAT_VERSION}`, '"formatVersion":99')), /newer Parallax/],
    ];
    for (const [name, path, pattern] of cases) {
      const error = await rejection(target.exporter.importStream(path));
      expect(error.code, name).toBe('bad_input');
      expect(error.message, name).toMatch(pattern);
    }
    expect(target.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
  });
});

describe('bad input from the audit (issue 14, item 8)', () => {
  it('refuses score details nested ~3,000 levels deep, saying where — never an internal error', async () => {
    const source = services();
    const ids = seedRealisticRuns(source, Date.UTC(2025, 2, 1, 12));
    const bundle = source.exporter.bundle(ids);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 3_000; i += 1) deep = { next: deep };
    bundle.runs[1]!.scores = [
      { armIndex: 0, otherArmIndex: null, scorer: 'deep', kind: 'metric', value: 1, passed: null, details: deep as never, feedback: '', prompt: null, modelId: null, error: null, outputHash: null, createdAt: 1 },
    ];
    const path = join(tempDir(), 'deep.json');
    writeFileSync(path, JSON.stringify(bundle));
    const target = services();
    const streamed = await rejection(target.exporter.importStream(path));
    expect(streamed.code).toBe('bad_input');
    expect(streamed.message).toMatch(new RegExp(`^runs\\[1\\]\\.scores\\[0\\]\\.details(\\.next)+: nests more than ${MAX_DEPTH} levels deep`));
    // The one-shot import (small files, tests) refuses it the same way.
    let sync: unknown;
    try {
      target.exporter.import(path);
    } catch (error) {
      sync = error;
    }
    expect(sync).toBeInstanceOf(AppError);
    expect((sync as AppError).message).toMatch(/runs\[1\]\.scores\[0\]\.details(\.next)+: nests more than/);
    expect(target.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
  });

  it('names the runs it skipped and why: same content, or a different run under an id already here', async () => {
    const source = services();
    const ids = seedRealisticRuns(source, Date.UTC(2025, 2, 1, 12));
    const path = join(tempDir(), 'runs.json');
    await source.exporter.writeStream(ids, 'json', path, 'All');
    const target = services();
    await target.exporter.importStream(path);
    // The local copy of one run changes (a different run now has that id).
    target.db.prepare("UPDATE arm_outputs SET text = 'A different answer' WHERE run_id = ? AND arm_index = 0").run(ids[1]);
    const { report } = await target.exporter.importStream(path);
    expect(report.imported).toBe(0);
    expect(report.skipped).toBe(ids.length);
    const titles = new Map(ids.map((id) => [id, source.runs.get(id)!.title]));
    expect(report.skippedRuns).toEqual(ids.map((id) => ({ id, title: titles.get(id), reason: id === ids[1] ? 'different' : 'same' })));
  });

  it('escapes every field a person or a pack supplied, in every export, and shows bidi and zero-width characters', async () => {
    const s = services();
    const ids = seedRealisticRuns(s, Date.UTC(2025, 2, 1, 12));
    const id = ids[0]!;
    s.history.note(id, '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) &lt;b&gt;');
    s.history.tag([id], ['<b>tag</b>'], []);
    s.db.prepare('UPDATE runs SET title = ? WHERE id = ?').run('Title <script>x()</script> `tick`', id);
    s.runs.updateArm(id, 0, { text: 'Pay \u202Eevil\u202C and zero\u200Bwidth', status: 'completed' });
    s.db.prepare("UPDATE arm_outputs SET label = 'Base\u202Eline' WHERE run_id = ? AND arm_index = 0").run(id);
    // An id with backticks, as an imported pack may carry.
    const oddId = 'run`with``ticks';
    s.db.pragma('foreign_keys = OFF');
    s.db.prepare('UPDATE runs SET id = ? WHERE id = ?').run(oddId, ids[1]);
    s.db.prepare('UPDATE arm_outputs SET run_id = ? WHERE run_id = ?').run(oddId, ids[1]);
    s.db.pragma('foreign_keys = ON');
    const dir = tempDir();
    const file = async (format: 'markdown' | 'html' | 'csv' | 'json', runIds: string[]) => {
      const path = join(dir, `out-${format}-${runIds.length}`);
      await s.exporter.writeStream(runIds, format, path, 'Report <b>');
      return readFileSync(path, 'utf8');
    };
    const md = await file('markdown', [id, oddId]);
    // Outside code fences (where text is shown as text) there is no markup from the run.
    const outsideFences = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toMatch(/<img|<script>|<b>tag|\*\*bold\*\*|\]\(javascript/);
    // The note is in a fence: shown as text, never as Markdown or HTML.
    expect(md).toMatch(/```text\n<img src=x onerror=alert\(1\)> \*\*bold\*\*/);
    expect(md).toContain('Title \\<script\\>x()\\</script\\> \\`tick\\`');
    expect(md).toContain('``` run`with``ticks ```');
    expect(md).toContain('Pay [U+202E RLO]evil[U+202C PDF] and zero[U+200B ZWSP]width');
    expect(md).not.toMatch(/[\u202A-\u202E\u200B]/);

    const html = await file('html', [id, oddId]);
    expect(html).not.toMatch(/<img src=x|<script>x|<b>tag/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<span class="inv" title="Right-to-left override (U+202E)">RLO</span>');
    expect(html).not.toMatch(/[\u202A-\u202E\u200B]/);

    const csv = await file('csv', [id]);
    expect(csv).toContain('Base[U+202E RLO]line');
    expect(csv).not.toMatch(/[\u202A-\u202E\u200B]/);

    // JSON stays lossless: the characters are \u escapes, the same strings to a reader.
    const json = await file('json', [id]);
    expect(json).toContain('\\u202e');
    expect(json).not.toMatch(/[\u202A-\u202E\u200B]/);
    expect(JSON.parse(json).runs[0].arms[0].text).toBe('Pay \u202Eevil\u202C and zero\u200Bwidth');
  });
});

describe('HTML reports and long transfers', () => {
  it('computes word differences only where asked (or for small reports), and compares long texts by line', async () => {
    const s = services();
    const ids = seedRealisticRuns(s, Date.UTC(2025, 2, 1, 12));
    generateHistory(s.db, { runs: 40, newest: Date.UTC(2025, 1, 1) });
    const all = allIds(s);
    const dir = tempDir();
    const report = async (runIds: string[], diffs?: boolean) => {
      const path = join(dir, `r-${runIds.length}-${String(diffs)}.html`);
      await s.exporter.writeStream(runIds, 'html', path, 'R', diffs === undefined ? {} : { diffs });
      return readFileSync(path, 'utf8');
    };
    expect(await report(ids)).toContain('Word differences');
    expect(all.length).toBeGreaterThan(25);
    expect(await report(all)).not.toContain('differences:');
    expect(await report(all, true)).toContain('Word differences');
    // A long answer: a line diff; a huge one: no diff, with a note.
    s.runs.updateArm(ids[0]!, 1, { text: 'word '.repeat(10_000), status: 'completed' });
    expect(await report([ids[0]!])).toContain('Line differences');
    s.runs.updateArm(ids[0]!, 1, { text: 'word\n'.repeat(100_000), status: 'completed' });
    expect(await report([ids[0]!])).toContain('too long to compare in this report');
  });

  it('cancels an export or an import half-way, leaving no file and no runs behind', async () => {
    const source = services();
    generateHistory(source.db, { runs: 3_000 });
    const ids = allIds(source);
    const dir = tempDir();
    const out = join(dir, 'big.json');
    const stopExport = new AbortController();
    const exported = await rejection(
      source.exporter.writeStream(ids, 'json', out, 'All', {}, { signal: stopExport.signal, onProgress: (done) => done >= 1_000 && stopExport.abort() }),
    );
    expect(exported.code).toBe('cancelled');
    expect(readdirSync(dir)).toEqual([]);

    await source.exporter.writeStream(ids, 'json', out, 'All');
    const target = services();
    const stopImport = new AbortController();
    const imported = await rejection(
      target.exporter.importStream(out, { signal: stopImport.signal, onProgress: (done, total) => done / total > 0.75 && stopImport.abort() }),
    );
    expect(imported.code).toBe('cancelled');
    expect(imported.message).toMatch(/Nothing was saved/);
    expect(target.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
    expect(existsSync(out)).toBe(true);
  }, 120_000);

  it('the scanner reads a bundle split at every byte the same as JSON.parse', async () => {
    const text = JSON.stringify({ formatVersion: 2, kind: 'runs', app: { name: 'P', v: [1, 2, { a: '}' }] }, n: -1.5e3, t: true, runs: [{ id: 'a\\"]' }, { id: 'b', x: [[], {}] }], after: null });
    for (let cut = 1; cut < text.length; cut += 1) {
      const fields: Record<string, unknown> = {};
      const runs: unknown[] = [];
      const scanner = new BundleScanner({ field: (key, value) => void (fields[key] = value), run: (value) => void runs.push(value) });
      const bytes = Buffer.from(text);
      await scanner.push(bytes.subarray(0, cut));
      await scanner.push(bytes.subarray(cut));
      await scanner.end();
      const { runs: expectedRuns, ...expectedFields } = JSON.parse(text) as Record<string, unknown>;
      expect(fields, `cut at ${cut}`).toEqual(expectedFields);
      expect(runs, `cut at ${cut}`).toEqual(expectedRuns);
    }
    expect(readBundle).toBeTypeOf('function');
  });
});
