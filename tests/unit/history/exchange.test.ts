import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createServices, type Services } from '../../../electron/services';
import { csvCell, escapeHtml, FORMAT_VERSION, readBundle, renderCsv, renderHtml, renderMarkdown, REPORT_CSP } from '../../../electron/services/export';
import { encodePack } from '../../../electron/services/packs';
import { applyStagedRestore, stageRestore, validateDatabaseFile } from '../../../electron/services/store/maintenance';
import { contentChecksum, generateHistory, seedRealisticRuns } from '../../support/history-fixtures';

let dirs: string[] = [];
const open: Services[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-exchange-'));
  dirs.push(dir);
  return dir;
}
function services(dataDir = tempDir(), limits?: { maxBytes?: number; maxExpandedBytes?: number }): Services {
  const s = createServices({ dataDir, version: '1.2.3', ...(limits ? { importLimits: limits } : {}) });
  open.push(s);
  return s;
}
beforeEach(() => {
  dirs = [];
});
afterEach(() => {
  for (const s of open.splice(0)) {
    try {
      s.close();
    } catch {
      // already closed
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A source history with everything the history keeps: stars, notes, tags, collections, a lab, a pack. */
function richSource(): { s: Services; ids: string[]; collectionId: string } {
  const s = services();
  const ids = seedRealisticRuns(s, Date.UTC(2025, 2, 1, 12));
  generateHistory(s.db, { runs: 20, newest: Date.UTC(2025, 1, 1) });
  const experiment = s.experiments.save({ name: 'Hiring', description: 'd', labId: 'hiring-bias', config: s.runs.get(ids[0]!)!.config });
  s.db.prepare('UPDATE runs SET experiment_id = ? WHERE id = ?').run(experiment.id, ids[0]);
  s.history.star([ids[0]!, ids[2]!], true);
  s.history.note(ids[1]!, 'Watch the <script>alert(1)</script> in the "note", and =cmd|calc');
  s.history.tag(ids.slice(0, 3), ['workshop-3', 'bias'], []);
  const collection = s.history.createCollection('Study A', 'runs for the paper', ids.slice(1, 4));
  // A run that contains hostile text, to check escaping everywhere.
  s.runs.updateArm(ids[2]!, 1, { text: '<img src=x onerror=alert(1)> & "quotes" </pre><script>bad()</script>\n=HYPERLINK("http://evil")', status: 'completed' });
  return { s, ids, collectionId: collection.id };
}

function importError(s: Services, path: string): AppError {
  try {
    s.exporter.import(path);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('import did not fail');
}

describe('export and import', () => {
  it('round-trips runs losslessly through JSON: export, import elsewhere, export again — equal', () => {
    const { s, ids, collectionId } = richSource();
    const all = s.history.resolveTarget({ runIds: s.db.prepare('SELECT id FROM runs').pluck().all() as string[] });
    const out = join(tempDir(), 'all.json');
    expect(s.exporter.write(all, 'json', out, 'Everything', [collectionId])).toBe(25);

    const target = services();
    const { report } = target.exporter.import(out);
    expect(report).toMatchObject({ imported: 25, skipped: 0, experiments: 1 });

    const again = readBundle(target.db, all, { kind: 'runs', version: '1.2.3', now: 0, collectionIds: [collectionId] });
    const original = JSON.parse(readFileSync(out, 'utf8'));
    expect({ ...again, exportedAt: original.exportedAt }).toEqual(original);
    for (const id of all) expect(target.runs.get(id)).toEqual(s.runs.get(id));
    // Images come through byte for byte, in order, on the arm that made them.
    expect(s.images.forRun(ids[2]!).map((image) => image.armIndex)).toEqual([0, 1, 1]);
    for (const id of all) expect(target.images.forRun(id)).toEqual(s.images.forRun(id));
    expect(target.history.meta(all[0]!)).toEqual(s.history.meta(all[0]!));
    expect(target.history.collection(collectionId)?.runCount).toBe(3);
    // Search works on imported runs.
    expect(target.history.list({ filter: { ...EMPTY, query: 'immigrated' }, sort: 'newest', cursor: null, limit: 10, withTotal: true }).total).toBe(1);

    // Importing again duplicates nothing.
    const before = contentChecksum(target.db);
    expect(target.exporter.import(out).report).toMatchObject({ imported: 0, skipped: 25 });
    expect(contentChecksum(target.db)).toBe(before);
  });

  it('refuses every malformed file with a message naming the problem and where, and changes nothing', () => {
    const { s } = richSource();
    const good = join(tempDir(), 'good.json');
    s.exporter.write(s.history.resolveTarget({ runIds: s.db.prepare('SELECT id FROM runs').pluck().all() as string[] }), 'json', good, 'All');
    const text = readFileSync(good, 'utf8');
    const bundle = JSON.parse(text);

    const target = services(tempDir(), { maxBytes: 2 * 1024 * 1024, maxExpandedBytes: 2.5 * 1024 * 1024 });
    seedRealisticRuns(target, Date.UTC(2024, 0, 1)); // same ids as some runs in the file
    target.history.tag([target.db.prepare('SELECT id FROM runs LIMIT 1').pluck().get() as string], ['local'], []);
    const checksum = contentChecksum(target.db);
    const dir = tempDir();
    const write = (name: string, data: string | Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };

    const cases: [string, string, RegExp][] = [
      ['bad JSON', write('bad.json', '{"formatVersion": 1, "runs": [}'), /not valid JSON at line 1, column \d+/],
      ['truncated JSON', write('truncated.json', text.slice(0, Math.floor(text.length / 2))), /truncated: its JSON ends early/],
      ['truncated pack', write('truncated.parallax', gzipSync(Buffer.from(text)).subarray(0, 400)), /pack is truncated/],
      ['wrong version', write('v9.json', JSON.stringify({ ...bundle, formatVersion: 9 })), /formatVersion: this file uses format 9, made by a newer Parallax; this app reads format 3/],
      ['not ours', write('other.json', JSON.stringify({ hello: 'world' })), /not a Parallax export: formatVersion is missing/],
      ['empty', write('empty.json', ''), /empty \(0 bytes\)/],
      ['oversized', write('big.json', `${text}${' '.repeat(2 * 1024 * 1024)}`), /too large to import \(.* MB; the limit is 2 MB\)/],
      [
        'schema violation',
        write('schema.json', JSON.stringify({ ...bundle, runs: bundle.runs.map((r: { arms: { status: string }[] }, i: number) => (i === 3 ? { ...r, arms: r.arms.map((a, j) => (j === 1 ? { ...a, status: 'exploded' } : a)) } : r)) })),
        /runs\[3\]\.arms\[1\]\.status: Invalid option: expected one of/,
      ],
      ['duplicate in file', write('dup.json', JSON.stringify({ ...bundle, runs: [...bundle.runs, bundle.runs[1]] })), /runs\[25\]\.id: the run ".*" appears twice in the file \(also at runs\[1\]\)/],
      ['zip bomb', write('bomb.parallax', gzipSync(Buffer.alloc(3 * 1024 * 1024, 32))), /pack expands to more than 2\.5 MB/],
    ];
    const withImages = bundle.runs.findIndex((r: { images: unknown[] }) => r.images.length > 0);
    const lyingImage = structuredClone(bundle);
    lyingImage.runs[withImages].images[1].mimeType = 'image/jpeg';
    cases.push(['image lies about its type', write('lying.json', JSON.stringify(lyingImage)), new RegExp(`runs\\[${withImages}\\]\\.images\\[1\\]\\.base64: the bytes are image/png, not the image/jpeg the file claims`)]);
    const notImage = structuredClone(bundle);
    notImage.runs[withImages].images[0].base64 = Buffer.from('<svg onload=alert(1)>').toString('base64');
    cases.push(['not an image', write('svg.json', JSON.stringify(notImage)), /images\[0\]\.base64: the bytes are not a PNG, JPEG or WebP image, not the image\/png the file claims/]);
    const strayImage = structuredClone(bundle);
    strayImage.runs[withImages].images[0].armIndex = 5;
    cases.push(['image of a missing arm', write('stray.json', JSON.stringify(strayImage)), /images\[0\]\.armIndex: refers to arm 5, but the run has 2 arms/]);
    // A valid file whose last run points at an unknown experiment: fails at write time, after
    // earlier runs were inserted — the transaction must leave nothing behind.
    const orphan = structuredClone(bundle);
    orphan.runs = orphan.runs.map((r: { id: string }, i: number) => ({ ...r, id: `fresh-${i}` }));
    orphan.runs.at(-1).experimentId = 'nowhere';
    cases.push(['half-written', write('orphan.json', JSON.stringify(orphan)), /runs\[24\]\.experimentId: refers to experiment "nowhere"/]);

    for (const [name, path, message] of cases) {
      const error = importError(target, path);
      expect(error.code, name).toBe('bad_input');
      expect(error.message, name).toMatch(message);
      expect(contentChecksum(target.db), name).toBe(checksum);
    }
    // The zip-bomb limit is separate from the file size limit.
    const limited = services(tempDir(), { maxExpandedBytes: 1024 });
    expect(importError(limited, join(dir, 'bomb.parallax')).message).toMatch(/expands to more than 0 MB/);
  });

  it('writes a self-contained HTML report: strict CSP, no scripts, every piece of text escaped', () => {
    const { s, ids } = richSource();
    const bundle = readBundle(s.db, ids, { kind: 'runs', version: '1', now: 0 });
    const html = renderHtml(bundle, 'Report <b>');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &lt;/pre&gt;&lt;script&gt;');
    expect(html).toContain('Watch the &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Report &lt;b&gt;</title>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no external requests
    expect(html).toMatch(/<ins>|<del>/); // word diff baseline → mitigated
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
    // A judge's critique is in the report, escaped like everything else.
    s.db
      .prepare(
        `INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, value, passed, details, feedback, prompt, model_id, error, output_hash, created_at)
         VALUES (?, 1, -1, 'bias', 'judge', 1, 1, 'null', 'Avoids the <b>stereotype</b>.', 'p', 'm', NULL, 'h', 1)`,
      )
      .run(ids[2]);
    expect(renderHtml(readBundle(s.db, [ids[2]!], { kind: 'runs', version: '1', now: 0 }), 'One')).toContain(
      '<ul class="critiques" aria-label="Critiques"><li><strong>Bias and stereotypes (1–5, lower is better)</strong>: Avoids the &lt;b&gt;stereotype&lt;/b&gt;.</li></ul>',
    );
    // The image run's pictures are inline, so the report opens offline.
    expect(html.match(/<img alt="Generated image" src="data:image\/png;base64,[A-Za-z0-9+/=]+">/g)).toHaveLength(3);
  });

  it('writes Markdown with each arm\'s prompt, output, scores and critiques, hostile text fenced or escaped', () => {
    const { s, ids } = richSource();
    s.db
      .prepare(
        `INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, value, passed, details, feedback, prompt, model_id, error, output_hash, created_at)
         VALUES (?, 1, -1, 'bias', 'judge', 1, 1, 'null', 'No stereotype | about *who* earns more.', 'p', 'm', NULL, 'h', 1),
                (?, 0, -1, 'toxicity', 'judge', NULL, NULL, 'null', '', 'p', 'm', 'The judge replied in prose', 'h', 1)`,
      )
      .run(ids[2], ids[2]);
    const markdown = renderMarkdown(readBundle(s.db, [ids[2]!, ids[1]!], { kind: 'runs', version: '1', now: 0 }), 'Two runs');
    expect(markdown).toMatch(/^# Two runs\n/);
    expect(markdown).toContain('## Describe a typical CEO');
    expect(markdown).toContain('- **Bias and stereotypes (1–5, lower is better)**: 1/5 · Pass — No stereotype \\| about \\*who\\* earns more.');
    expect(markdown).toContain('- **Toxicity (0–1, lower is better)**: Error: The judge replied in prose');
    expect(markdown).toContain('_2 generated images (shown in the HTML report, kept in the JSON export)._');
    expect(markdown).toContain('Watch the <script>alert(1)</script>'); // the note, as the person wrote it
    expect(markdown).toMatch(/```markdown\nDecide on documented criteria/);
  });

  it('writes CSV per RFC 4180 with spreadsheet formulas defused, and score columns when scores exist', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');

    const { s, ids } = richSource();
    const bundle = readBundle(s.db, ids, { kind: 'runs', version: '1', now: 0 });
    const csv = renderCsv(bundle, (runIds) => new Map([[runIds[0]!, new Map([[1, { fairness: 0.9, '=evil': '=2' }]])]]));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      "Run id,Run,Started (UTC),Run status,Lab,Tags,Starred,Arm,Arm label,Role,Technique,Steps,Model,Model id,Arm status,Stop reason,Stopped by,Input tokens,Output tokens,Time to first token (ms),Total time (ms),Cost (USD),Output characters,'=evil,fairness",
    );
    expect(lines).toHaveLength(ids.length * 2 + 2); // header, one row per arm, trailing CRLF
    expect(lines[2]).toMatch(/,'=2,0\.9$/);
  });

  it('makes a workshop pack from a lab, and imports it marked with its pack', () => {
    const { s } = richSource();
    const labRuns = s.history.resolveTarget({ labId: 'hiring-bias' });
    const path = join(tempDir(), 'lab.parallax');
    expect(s.packs.write(path, labRuns, { title: 'Hiring bias lab', author: 'Ada', description: '' })).toBe(labRuns.length);
    expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const trainee = services();
    const { report, bundle } = trainee.exporter.import(path);
    expect(report.imported).toBe(labRuns.length);
    expect(bundle.pack).toMatchObject({ title: 'Hiring bias lab', author: 'Ada', labIds: ['hiring-bias'] });
    expect(bundle.pack!.models.length).toBeGreaterThan(0);
    const packs = trainee.history.packs();
    expect(packs).toMatchObject([{ title: 'Hiring bias lab', runCount: labRuns.length }]);
    const listed = trainee.history.list({ filter: { ...EMPTY, packId: packs[0]!.id }, sort: 'newest', cursor: null, limit: 100, withTotal: true });
    expect(listed.total).toBe(labRuns.length);
    expect(listed.items.every((item) => item.pack?.title === 'Hiring bias lab')).toBe(true);
    // The same content as a plain gzip'd JSON also imports (packs are just compressed bundles).
    expect(encodePack(bundle).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(bundle.formatVersion).toBe(FORMAT_VERSION);
  });
});

describe('backup, restore and integrity', () => {
  it('backs up a consistent, openable copy while runs are being written', { timeout: 60_000 }, async () => {
    const s = services();
    generateHistory(s.db, { runs: 1500 });
    // Another connection holds an open write transaction with an unfinished run...
    const writer = new Database(s.info.dbPath);
    writer.pragma('busy_timeout = 5000');
    writer.exec('BEGIN IMMEDIATE');
    writer.prepare("INSERT INTO runs (id, title, config, status, started_at) VALUES ('half', 'Half written', '{\"variables\":[],\"arms\":[]}', 'running', 1)").run();
    // ...and this connection's runner keeps inserting whole runs while the backup copies pages.
    s.db.pragma('busy_timeout = 0'); // while the writer holds its lock, our inserts fail fast and retry
    let inserted = 0;
    let refused = 0;
    const timer = setInterval(() => {
      try {
        generateHistory(s.db, { runs: 1, seed: inserted + 7, newest: Date.UTC(2026, 0, 1) + inserted, idPrefix: `live-${inserted}-` });
        inserted += 1;
      } catch {
        refused += 1; // SQLITE_BUSY: the other writer's transaction; retry on the next tick
      }
    }, 2);
    const path = join(tempDir(), 'backup.db');
    const backingUp = s.data.backup(path);
    // wait for what the check needs instead of a fixed delay (a busy machine may not tick in 30 ms)
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 20_000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    await until(() => refused > 0);
    writer.exec('ROLLBACK');
    writer.close();
    const bytes = await backingUp;
    await until(() => inserted > 0);
    clearInterval(timer);
    expect(bytes).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0); // the backup really ran while a write transaction was open
    expect(inserted).toBeGreaterThan(0); // ...and while this connection kept inserting runs

    const copy = new Database(path);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('foreign_key_check')).toEqual([]);
    expect(copy.prepare("SELECT COUNT(*) FROM runs WHERE id = 'half'").pluck().get()).toBe(0);
    // Every run in the copy has all its arms: no torn run.
    expect(copy.prepare('SELECT COUNT(*) FROM runs r WHERE (SELECT COUNT(*) FROM arm_outputs a WHERE a.run_id = r.id) != 2').pluck().get()).toBe(0);
    expect(copy.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBeGreaterThanOrEqual(1500);
    copy.exec("INSERT INTO history_fts (history_fts, rank) VALUES ('integrity-check', 1)");
    copy.close();
  });

  it('validates a restore, stages it, and swaps it in at the next start keeping the old file', () => {
    const source = services();
    seedRealisticRuns(source, Date.now());
    const backup = join(tempDir(), 'b.db');
    return source.data.backup(backup).then(async () => {
      const dataDir = tempDir();
      const live = services(dataDir);
      generateHistory(live.db, { runs: 3 });
      const bad = join(tempDir(), 'not.db');
      writeFileSync(bad, 'hello, not a database');
      await expect(live.data.stageRestore(bad)).rejects.toThrow(/not an SQLite database at all/);
      const foreign = join(tempDir(), 'foreign.db');
      new Database(foreign).exec('CREATE TABLE notes (x)');
      expect(() => validateDatabaseFile(foreign)).toThrow(/not a Parallax one \(no schema_migrations, experiments, runs, arm_outputs table\)/);
      const future = join(tempDir(), 'future.db');
      writeFileSync(future, readFileSync(backup));
      const f = new Database(future);
      f.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('future');
      f.close();
      expect(() => validateDatabaseFile(future)).toThrow(/written by a newer Parallax \(schema 999/);

      expect(await live.data.stageRestore(backup)).toMatchObject({ runs: 5 });
      expect(live.data.stats().stagedRestore).toMatchObject({ runs: 5 });
      expect(live.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(3); // nothing changes until restart
      live.close();

      const restarted = services(dataDir);
      expect(restarted.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(5);
      expect(restarted.data.stats().stagedRestore).toBeNull();
      expect((await restarted.data.check()).ok).toBe(true);
      const kept = readdirSync(dataDir).filter((f) => f.startsWith('parallax.before-restore-') && f.endsWith('.db'));
      expect(kept).toHaveLength(1);
      expect(applyStagedRestore(dataDir)).toBeNull();
      expect(() => stageRestore(dataDir, join(dataDir, 'missing.db'))).toThrow();
      expect(existsSync(join(dataDir, 'parallax.restore.db'))).toBe(false);
    });
  });

  it('reports integrity problems, including a search index out of step, and repairs the index', async () => {
    const s = services();
    seedRealisticRuns(s, Date.now());
    expect(await s.data.check()).toMatchObject({ ok: true });
    // Damage the index behind the triggers' back: change text with the triggers gone.
    s.db.exec('DROP TRIGGER history_fts_arm_before_update; DROP TRIGGER history_fts_arm_after_update');
    s.db.exec("UPDATE arm_outputs SET text = 'rewritten behind the index' WHERE arm_index = 0");
    const report = await s.data.check();
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'Search index')).toMatchObject({ ok: false });
    await s.data.rebuildSearch();
    expect((await s.data.check()).ok).toBe(true);
    expect(s.data.stats()).toMatchObject({ runs: 5, trashed: 0 });
    expect(s.data.stats().dbBytes).toBeGreaterThan(0);
  });

  it('empties the trash of runs deleted more than 30 days ago at start-up', () => {
    const dataDir = tempDir();
    let now = Date.UTC(2025, 0, 1);
    const s = createServices({ dataDir, version: 't', now: () => now });
    const ids = seedRealisticRuns(s, now);
    s.history.trash(ids.slice(0, 2));
    now += 10 * 86_400_000;
    s.history.trash(ids.slice(2, 3));
    s.close();
    now += 25 * 86_400_000;
    const later = createServices({ dataDir, version: 't', now: () => now });
    open.push(later);
    expect(later.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(3);
    expect(later.data.stats()).toMatchObject({ runs: 2, trashed: 1 });
  });
});

const EMPTY = {
  query: '',
  statuses: [],
  models: [],
  techniques: [],
  labs: [],
  tags: [],
  collectionId: null,
  packId: null,
  starred: false,
  from: null,
  to: null,
  trash: false,
};


describe('scores in exports', () => {
  it('puts stored scores and ratings into the CSV', () => {
    const s = services();
    const [id] = seedRealisticRuns(s, Date.now());
    s.db.prepare(`INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, value, created_at) VALUES (?, 1, -1, 'toxicity', 'metric', 0.02, 1)`).run(id);
    s.db.prepare(`INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, passed, created_at) VALUES (?, 1, 0, 'judge', 'judge', 1, 1)`).run(id);
    s.db.prepare(`INSERT INTO arm_ratings (run_id, arm_index, thumb, stars, updated_at) VALUES (?, 0, -1, 2, 1)`).run(id);
    const path = join(tempDir(), 'scores.csv');
    s.exporter.write([id!], 'csv', path, 'Scores');
    const [header, baseline, mitigated] = readFileSync(path, 'utf8').split('\r\n');
    expect(header).toMatch(/,judge vs Baseline,"Toxicity \(0–1, lower is better\)",Your rating: stars \(1–5\),Your rating: thumbs \(up\/down\)$/);
    expect(baseline).toMatch(/,,,2,down$/);
    expect(mitigated).toMatch(/,pass,0\.02,,$/);
  });
});
