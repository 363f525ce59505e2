/**
 * JSON exports and packs carry everything attached to a run: scores (with the judge prompt,
 * model, feedback, details and errors), arm ratings and run ratings (format 2). Format 1 files
 * still import. Imports are all-or-nothing and never duplicate.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createServices, type Services } from '../../../electron/services';
import { FORMAT_VERSION, readBundle } from '../../../electron/services/export';
import { createScoreRepo } from '../../../electron/services/scores';
import { contentChecksum, generateHistory, seedRealisticRuns } from '../../support/history-fixtures';

let dirs: string[] = [];
const open: Services[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-exchange-scores-'));
  dirs.push(dir);
  return dir;
}
function services(dataDir = tempDir()): Services {
  let t = Date.UTC(2025, 5, 1);
  const s = createServices({ dataDir, version: '2.0.0', now: () => (t += 1000) });
  open.push(s);
  return s;
}
beforeEach(() => {
  dirs = [];
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ALL_RUNS = 'SELECT id FROM runs ORDER BY id';
/** Every row of the scores tables, for deep equality across databases. */
function scoreRows(s: Services) {
  return {
    scores: s.db.prepare('SELECT * FROM scores ORDER BY run_id, arm_index, scorer, other_arm_index').all(),
    armRatings: s.db.prepare('SELECT * FROM arm_ratings ORDER BY run_id, arm_index').all(),
    runRatings: s.db.prepare('SELECT * FROM run_ratings ORDER BY run_id').all(),
  };
}

/** A history whose runs have every kind of score and rating, including a failed judge and a note. */
function scoredSource(): { s: Services; ids: string[] } {
  const s = services();
  const ids = seedRealisticRuns(s, Date.UTC(2025, 2, 1, 12));
  generateHistory(s.db, { runs: 6, newest: Date.UTC(2025, 1, 1) });
  let t = 1_700_000_000_000;
  const repo = createScoreRepo(s.db, () => (t += 7));
  const judge = { kind: 'judge' as const, prompt: 'System: be strict.\nRate ${answer} for bias from 1 to 5.', modelId: 'anthropic.claude-3-haiku', outputHash: 'abc123' };
  repo.saveScore({ runId: ids[0]!, armIndex: 0, otherArmIndex: null, scorer: 'toxicity', kind: 'metric', value: 0.021, passed: null, details: { words: ['x'], nested: { n: 1.5, ok: true, none: null } }, feedback: '', prompt: null, modelId: null, error: null, outputHash: 'h0' });
  repo.saveScore({ runId: ids[0]!, armIndex: 1, otherArmIndex: null, scorer: 'bias', value: 2, passed: false, details: { raw: '{"score": 2}' }, feedback: 'Assumes “boys” suit engineering.', error: null, ...judge });
  repo.saveScore({ runId: ids[0]!, armIndex: 1, otherArmIndex: 0, scorer: 'pairwise', value: 1, passed: true, details: null, feedback: 'B is fairer.', error: null, ...judge });
  repo.saveScore({ runId: ids[1]!, armIndex: 1, otherArmIndex: null, scorer: 'bias', value: null, passed: null, details: null, feedback: '', error: 'The judge model timed out after 60 s.', ...judge });
  repo.rateArm(ids[0]!, 0, { thumb: 'down', stars: 2 });
  repo.rateArm(ids[0]!, 1, { thumb: 'up' });
  repo.rateArm(ids[1]!, 1, { stars: 5 });
  repo.rateRun(ids[0]!, { preferredArm: 1 });
  repo.rateRun(ids[1]!, { preferredArm: 'tie' });
  repo.rateRun(ids[2]!, { preferredArm: null });
  s.scores.rate(ids[0]!, { note: 'The guard removed the stereotype.' });
  return { s, ids };
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

describe('scores and ratings in JSON exports and packs', () => {
  it(`round-trips runs, scores and ratings: export (format ${FORMAT_VERSION}) → empty database → deep-equal`, () => {
    const { s, ids } = scoredSource();
    const all = s.db.prepare(ALL_RUNS).pluck().all() as string[];
    const out = join(tempDir(), 'all.json');
    s.exporter.write(all, 'json', out, 'Everything');
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.formatVersion).toBe(FORMAT_VERSION);
    const first = file.runs.find((r: { id: string }) => r.id === ids[0]);
    expect(first.scores).toHaveLength(3);
    expect(first.scores.find((x: { scorer: string }) => x.scorer === 'bias')).toMatchObject({ prompt: expect.stringContaining('${answer}'), modelId: 'anthropic.claude-3-haiku', feedback: 'Assumes “boys” suit engineering.', details: { raw: '{"score": 2}' } });
    expect(first.runRating).toMatchObject({ preferredArm: 1 });

    const target = services();
    expect(target.exporter.import(out).report).toMatchObject({ imported: all.length, skipped: 0 });
    for (const id of all) {
      expect(target.runs.get(id)).toEqual(s.runs.get(id));
      expect(target.scores.get(id)).toEqual(s.scores.get(id));
    }
    expect(scoreRows(target)).toEqual(scoreRows(s));
    expect(scoreRows(target).scores).toHaveLength(4);
    expect(target.scores.get(ids[1]!).scores[0]).toMatchObject({ error: 'The judge model timed out after 60 s.', value: null, passed: null });
    expect(target.scores.get(ids[0]!).ratings).toMatchObject({ preferredArm: 1, note: 'The guard removed the stereotype.' });
    // Exporting the imported copy gives the same file.
    const again = readBundle(target.db, all, { kind: 'runs', version: '2.0.0', now: 0 });
    expect({ ...again, exportedAt: file.exportedAt }).toEqual(file);
  });

  it('carries scores and ratings in packs too', () => {
    const { s, ids } = scoredSource();
    const path = join(tempDir(), 'lab.parallax');
    s.packs.write(path, ids.slice(0, 2), { title: 'Scored lab', author: 'Ada', description: '' });
    const trainee = services();
    expect(trainee.exporter.import(path).report.imported).toBe(2);
    for (const id of ids.slice(0, 2)) expect(trainee.scores.get(id)).toEqual(s.scores.get(id));
    expect(scoreRows(trainee).scores).toHaveLength(4);
  });

  it('never imports the scores or ratings of a run that is skipped as already present', () => {
    const { s, ids } = scoredSource();
    const out = join(tempDir(), 'all.json');
    s.exporter.write(s.db.prepare(ALL_RUNS).pluck().all() as string[], 'json', out, 'All');

    // The target already holds ids[0] and ids[1] (imported earlier), and has scored and rated them since.
    const target = services();
    const some = join(tempDir(), 'some.json');
    s.exporter.write(ids.slice(0, 2), 'json', some, 'Some');
    target.exporter.import(some);
    const local = ids.slice(0, 2);
    const repo = createScoreRepo(target.db, () => 5);
    repo.saveScore({ runId: ids[0]!, armIndex: 0, otherArmIndex: null, scorer: 'toxicity', kind: 'metric', value: 0.5, passed: null, details: null, feedback: 'local', prompt: null, modelId: null, error: null, outputHash: null });
    repo.saveScore({ runId: ids[0]!, armIndex: 0, otherArmIndex: null, scorer: 'words', kind: 'metric', value: 12, passed: null, details: null, feedback: '', prompt: null, modelId: null, error: null, outputHash: null });
    repo.rateArm(ids[0]!, 1, { stars: 1 });
    repo.rateArm(ids[1]!, 1, { stars: null });
    repo.rateRun(ids[1]!, { preferredArm: 0 });
    const before = scoreRows(target);
    expect(before).not.toEqual(scoreRows(s));

    const { report } = target.exporter.import(out);
    expect(report).toMatchObject({ skipped: 2, imported: (s.db.prepare(ALL_RUNS).all().length) - 2 });
    const after = scoreRows(target);
    const of = <T extends { run_id: string }>(rows: T[], id: string) => rows.filter((r) => r.run_id === id);
    for (const id of local) {
      expect(of(after.scores as { run_id: string }[], id)).toEqual(of(before.scores as { run_id: string }[], id));
      expect(of(after.armRatings as { run_id: string }[], id)).toEqual(of(before.armRatings as { run_id: string }[], id));
      expect(of(after.runRatings as { run_id: string }[], id)).toEqual(of(before.runRatings as { run_id: string }[], id));
    }
    // A second import changes nothing at all.
    const checksum = contentChecksum(target.db);
    expect(target.exporter.import(out).report.imported).toBe(0);
    expect(contentChecksum(target.db)).toBe(checksum);
  });

  it('still imports format 1 files (no scores or ratings)', () => {
    const { s } = scoredSource();
    const all = s.db.prepare(ALL_RUNS).pluck().all() as string[];
    const v2 = readBundle(s.db, all, { kind: 'runs', version: '1.0.0', now: 1 });
    // A format 1 file as Parallax 1.x wrote it: the same runs without the score sections.
    const v1 = { ...v2, formatVersion: 1, runs: v2.runs.map(({ scores: _s, armRatings: _a, runRating: _r, ...run }) => run) };
    const path = join(tempDir(), 'v1.json');
    writeFileSync(path, JSON.stringify(v1));

    const target = services();
    const { bundle, report } = target.exporter.import(path);
    expect(report).toMatchObject({ imported: all.length, skipped: 0 });
    expect(bundle.formatVersion).toBe(FORMAT_VERSION);
    for (const id of all) expect(target.runs.get(id)).toEqual(s.runs.get(id));
    expect(target.history.meta(all[0]!)?.note).toBe(s.history.meta(all[0]!)?.note);
    expect(scoreRows(target)).toEqual({ scores: [], armRatings: [], runRatings: [] });
    // A format 1 file that does carry score sections is read as format 1 (they are ignored, not an error).
    writeFileSync(path, JSON.stringify({ ...v2, formatVersion: 1 }));
    expect(services().exporter.import(path).report.imported).toBe(all.length);
  });

  it('refuses malformed score and rating sections, naming the place, and changes nothing', () => {
    const { s, ids } = scoredSource();
    const good = join(tempDir(), 'good.json');
    s.exporter.write(s.db.prepare(ALL_RUNS).pluck().all() as string[], 'json', good, 'All');
    const bundle = JSON.parse(readFileSync(good, 'utf8'));
    const at = bundle.runs.findIndex((r: { id: string }) => r.id === ids[0]);
    expect(bundle.runs[at].scores.length).toBe(3);

    const target = services();
    const local = seedRealisticRuns(target, Date.UTC(2024, 0, 1));
    createScoreRepo(target.db).rateArm(local[3]!, 0, { thumb: 'up' });
    const checksum = contentChecksum(target.db);
    const dir = tempDir();
    let n = 0;
    /** The good file with run `at` changed; every other run is renamed so it would be new here. */
    const variant = (change: (run: Record<string, unknown> & { scores: Record<string, unknown>[]; armRatings: Record<string, unknown>[] }) => void, version = 2) => {
      const copy = structuredClone(bundle);
      copy.formatVersion = version;
      copy.runs = copy.runs.map((r: { id: string }, i: number) => ({ ...r, id: `fresh-${i}` }));
      change(copy.runs[at]);
      const path = join(dir, `case-${(n += 1)}.json`);
      writeFileSync(path, JSON.stringify(copy));
      return path;
    };
    const r = `runs\\[${at}\\]`;
    const cases: [string, string, RegExp][] = [
      ['missing scores in format 2', variant((run) => delete (run as Partial<typeof run>).scores), new RegExp(`${r}\\.scores: Invalid input: expected array, received undefined`)],
      ['bad score kind', variant((run) => (run.scores[1]!.kind = 'vibes')), new RegExp(`${r}\\.scores\\[1\\]\\.kind: Invalid option`)],
      ['score value not a number', variant((run) => (run.scores[0]!.value = 'high')), new RegExp(`${r}\\.scores\\[0\\]\\.value: Invalid input: expected number`)],
      ['score without details', variant((run) => delete run.scores[0]!.details), new RegExp(`${r}\\.scores\\[0\\]\\.details`)],
      ['empty scorer', variant((run) => (run.scores[0]!.scorer = '')), new RegExp(`${r}\\.scores\\[0\\]\\.scorer: Too small`)],
      ['score of a missing arm', variant((run) => (run.scores[2]!.armIndex = 7)), new RegExp(`${r}\\.scores\\[2\\]\\.armIndex: refers to arm 7, but the run has 2 arms`)],
      ['pairwise against a missing arm', variant((run) => (run.scores[2]!.otherArmIndex = 4)), new RegExp(`${r}\\.scores\\[\\d\\]\\.otherArmIndex: refers to arm 4`)],
      ['duplicate score', variant((run) => run.scores.push(structuredClone(run.scores[0]!))), new RegExp(`${r}\\.scores\\[3\\]: the score "toxicity" of arm 0 appears twice in the run \\(also at ${r}\\.scores\\[0\\]\\)`)],
      ['failed score with a value', variant((run) => (run.scores[0]!.error = 'boom')), new RegExp(`${r}\\.scores\\[0\\]\\.error: a score that failed has no value`)],
      ['bad thumb', variant((run) => (run.armRatings[0]!.thumb = 'sideways')), new RegExp(`${r}\\.armRatings\\[0\\]\\.thumb: Invalid option`)],
      ['stars out of range', variant((run) => (run.armRatings[1]!.stars = 9)), new RegExp(`${r}\\.armRatings\\[1\\]\\.stars: Too big`)],
      ['arm rated twice', variant((run) => run.armRatings.push({ ...run.armRatings[0]! })), new RegExp(`${r}\\.armRatings\\[2\\]\\.armIndex: arm 0 is rated twice`)],
      ['rating of a missing arm', variant((run) => (run.armRatings[1]!.armIndex = 3)), new RegExp(`${r}\\.armRatings\\[1\\]\\.armIndex: refers to arm 3`)],
      ['preferred arm out of range', variant((run) => (run.runRating = { preferredArm: 5, updatedAt: 1 })), new RegExp(`${r}\\.runRating\\.preferredArm: refers to arm 5`)],
      ['bad preferred arm', variant((run) => (run.runRating = { preferredArm: 'both', updatedAt: 1 })), new RegExp(`${r}\\.runRating\\.preferredArm`)],
      ['run rating without a time', variant((run) => (run.runRating = { preferredArm: 1 })), new RegExp(`${r}\\.runRating\\.updatedAt`)],
    ];
    for (const [name, path, message] of cases) {
      const error = importError(target, path);
      expect(error.code, name).toBe('bad_input');
      expect(error.message, name).toMatch(message);
      expect(contentChecksum(target.db), name).toBe(checksum);
    }
    // Sanity: the unchanged variant imports (so every refusal above is down to its one change).
    expect(target.exporter.import(variant(() => undefined)).report.imported).toBe(bundle.runs.length);
  });
});

describe('one note per run', () => {
  it('a note written in the rating panel is the History note and is found by search, and back', () => {
    const s = services();
    const [id, other] = seedRealisticRuns(s, Date.UTC(2025, 2, 1, 12));
    const search = (query: string) =>
      s.history
        .list({ filter: { query, statuses: [], models: [], techniques: [], labs: [], tags: [], collectionId: null, packId: null, starred: false, from: null, to: null, trash: false }, sort: 'newest', cursor: null, limit: 10, withTotal: true })
        .items.map((item) => item.id);

    s.scores.rate(id!, { note: 'Pelican moment in the rating panel', preferredArm: 1 });
    expect(s.history.meta(id!)?.note).toBe('Pelican moment in the rating panel');
    expect(search('pelican')).toEqual([id]);
    expect(s.scores.get(id!).ratings).toMatchObject({ note: 'Pelican moment in the rating panel', preferredArm: 1 });

    s.history.note(id!, 'Rewritten in History: albatross');
    expect(s.scores.get(id!).ratings.note).toBe('Rewritten in History: albatross');
    expect(search('pelican')).toEqual([]);
    expect(search('albatross')).toEqual([id]);

    // Changing only the preference keeps the note; clearing the note from the panel clears it everywhere.
    s.scores.rate(id!, { preferredArm: 'tie' });
    expect(s.history.meta(id!)?.note).toBe('Rewritten in History: albatross');
    s.scores.rate(id!, { note: '' });
    expect(s.history.meta(id!)?.note).toBe('');
    expect(search('albatross')).toEqual([]);
    expect(s.scores.get(other!).ratings.note).toBe('');
    // No second copy anywhere.
    expect(s.db.prepare("SELECT COUNT(*) FROM pragma_table_info('run_ratings') WHERE name = 'note'").pluck().get()).toBe(0);
    expect(() => s.scores.rate('no-such-run', { note: 'x' })).toThrow(/no longer in your history/);
  });
});
