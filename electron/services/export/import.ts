/**
 * Import of JSON exports and .parallax packs: size-limited, decompressed with a cap, parsed,
 * validated against the versioned schema, then written all-or-nothing in one transaction.
 * Runs already present (same id) are skipped, never duplicated. Every refusal is an AppError
 * 'bad_input' whose message names the problem and where it is.
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { SKIPPED_LISTED, type ImportReport } from '../../../shared/contract/history';
import { sniffImageType } from '../../../shared/images';
import { createImageRepo, createStepRepo, type Db } from '../store';
import { createImportRepo } from '../store/imports';
import { importCorpus } from '../rag/pack';
import { createCorpusRepo } from '../rag/repo';
import { createSearchIndexWriter } from '../store/search-index';
import { Bundle, BundleV1, FORMAT_VERSION, upgradeBundleV1 } from './bundle';
import { MAX_DEPTH } from './scanner';

export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
/** A pack may expand to this much JSON; more is refused (a zip bomb, or not ours). */
export const MAX_EXPANDED_BYTES = 400 * 1024 * 1024;

export interface ImportLimits {
  maxBytes?: number;
  maxExpandedBytes?: number;
}

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

function bad(message: string, details?: string): AppError {
  return new AppError('bad_input', message, details);
}

/** "runs[3].arms[1].status" */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out || '(top level)';
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Reads the file with a size check first, so an oversized file is never loaded. */
export function readImportFile(path: string, limits: ImportLimits = {}): Buffer {
  const maxBytes = limits.maxBytes ?? MAX_IMPORT_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw bad(`Could not open the file: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, String(error));
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      throw bad(`The file is too large to import (${mb(size)}; the limit is ${mb(maxBytes)}). Export fewer runs per file.`);
    }
    if (size === 0) throw bad('The file is empty (0 bytes). It may not have finished copying.');
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Gunzips a pack (detected by its magic bytes) and parses the JSON, naming where it breaks. */
export function parseBundleBytes(bytes: Buffer, limits: ImportLimits = {}): unknown {
  let data = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const maxExpanded = limits.maxExpandedBytes ?? MAX_EXPANDED_BYTES;
    try {
      data = gunzipSync(bytes, { maxOutputLength: maxExpanded });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /larger than|too large/i.test(message)) {
        throw bad(`The pack expands to more than ${mb(maxExpanded)}, which is more than Parallax imports at once.`, message);
      }
      if (/unexpected end/i.test(message)) {
        throw bad(`The pack is truncated: its compressed data ends early (file size ${bytes.length} bytes). Copy it again from the source.`, message);
      }
      throw bad(`The pack is damaged: its compressed data could not be read (${message}).`, message);
    }
  }
  const text = data.toString('utf8');
  if (text.trimStart().length === 0) throw bad('The file holds no data.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /position (\d+)/.exec(message);
    let where = '';
    const position = match ? Number(match[1]) : jsonErrorOffset(text);
    if (position !== null) {
      const before = text.slice(0, position);
      const line = before.split('\n').length;
      const column = position - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${column}`;
    }
    if (/end of (json )?input|unterminated string/i.test(message) || position === text.length) {
      throw bad(`The file is truncated: its JSON ends early${where}. It may not have finished saving or copying.`, message);
    }
    throw bad(`The file is not valid JSON${where}: ${message.replace(/^SyntaxError: /, '')}.`, message);
  }
}

/**
 * Refuses a value nested deeper than MAX_DEPTH (checked without recursion, so a file nesting
 * 3,000 levels cannot overflow the stack of the schema check that follows), naming where.
 */
export function checkDepth(value: unknown, at: string, limit = MAX_DEPTH): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: at }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) {
      throw bad(
        `${item.path}: nests more than ${limit} levels deep. Parallax reads up to ${limit} levels; remove that part of the file or export it again from Parallax.`,
      );
    }
    if (Array.isArray(item.value)) item.value.forEach((child, i) => stack.push({ value: child, depth, path: `${item.path}[${i}]` }));
    else for (const [key, child] of Object.entries(item.value)) stack.push({ value: child, depth, path: item.path ? `${item.path}.${key}` : key });
  }
}

/** The format version of a file, checked for a message clearer than a schema error. */
export function checkVersion(record: Record<string, unknown>): 1 | typeof FORMAT_VERSION {
  if (!('formatVersion' in record)) {
    throw bad('This is not a Parallax export: formatVersion is missing at the top level.');
  }
  const version = record.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw bad(`formatVersion: expected a whole number, got ${JSON.stringify(version)?.slice(0, 40)}.`);
  }
  if (version > FORMAT_VERSION) {
    throw bad(
      `formatVersion: this file uses format ${version}, made by a newer Parallax; this app reads format ${FORMAT_VERSION}. Update Parallax to import it.`,
    );
  }
  if (version < 1) throw bad(`formatVersion: ${version} is not a format Parallax ever wrote.`);
  return version === 1 ? 1 : FORMAT_VERSION;
}

/** Checks the version first (a clearer message than a schema error), then the whole shape. */
export function validateBundle(value: unknown): Bundle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('This is not a Parallax export: the file does not hold a JSON object.');
  }
  checkVersion(value as Record<string, unknown>);
  checkDepth(value, '');
  const version = (value as Record<string, unknown>).formatVersion;
  // Each format is checked against its own schema; older ones are then brought up to date.
  const parsed = version === 1 ? BundleV1.safeParse(value) : Bundle.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues.slice(0, 3).map(describeIssue).join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more problems)` : '';
    throw bad(`The file does not match the Parallax export format: ${first}${more}.`, issues.map(describeIssue).join('\n'));
  }
  const bundle: Bundle = parsed.data.formatVersion === 1 ? upgradeBundleV1(parsed.data) : parsed.data;
  if (bundle.kind === 'pack' && bundle.pack === null) throw bad('pack: a workshop pack must describe itself (title, author, date).');
  const seen = new Map<string, number>();
  bundle.runs.forEach((run, index) => {
    const earlier = seen.get(run.id);
    if (earlier !== undefined) throw bad(`runs[${index}].id: the run "${run.id}" appears twice in the file (also at runs[${earlier}]).`);
    seen.set(run.id, index);
    run.arms.forEach((arm, armIndex) => {
      if (arm.index !== armIndex) throw bad(`runs[${index}].arms[${armIndex}].index: expected ${armIndex}, got ${arm.index}.`);
    });
    checkScoresAndRatings(run, `runs[${index}]`);
    checkImages(run, `runs[${index}]`);
  });
  const experiments = new Set(bundle.experiments.map((e) => e.id));
  const packs = new Set(bundle.packs.map((p) => p.id));
  bundle.runs.forEach((run, index) => {
    if (run.packId !== null && !packs.has(run.packId)) {
      throw bad(`runs[${index}].packId: refers to pack "${run.packId}", which is not described in packs.`);
    }
    if (run.experimentId !== null && !experiments.has(run.experimentId)) {
      // Allowed only if the experiment already exists locally; checked at write time.
    }
  });
  return bundle;
}

/**
 * What the schema cannot say about a run's scores and ratings: they point at arms the run has,
 * each is there once (the database's keys), and a failed score carries no value — checked here so
 * a bad file is refused with the place named, before anything is written.
 */
export function checkScoresAndRatings(run: Bundle['runs'][number], at: string): void {
  const arms = run.arms.length;
  const armExists = (field: string, armIndex: number) => {
    if (armIndex >= arms) throw bad(`${field}: refers to arm ${armIndex}, but the run has ${arms} arm${arms === 1 ? '' : 's'} (0–${arms - 1}).`);
  };
  const scoreKeys = new Map<string, number>();
  run.scores.forEach((score, i) => {
    const where = `${at}.scores[${i}]`;
    armExists(`${where}.armIndex`, score.armIndex);
    if (score.otherArmIndex !== null) {
      armExists(`${where}.otherArmIndex`, score.otherArmIndex);
      if (score.otherArmIndex === score.armIndex) throw bad(`${where}.otherArmIndex: a pairwise score compares two different arms, got ${score.armIndex} twice.`);
    }
    if (score.error !== null && (score.value !== null || score.passed !== null)) {
      throw bad(`${where}.error: a score that failed has no value and no pass/fail (got value ${String(score.value)}, passed ${String(score.passed)}).`);
    }
    const key = JSON.stringify([score.armIndex, score.scorer, score.otherArmIndex]);
    const earlier = scoreKeys.get(key);
    if (earlier !== undefined) {
      throw bad(`${where}: the score "${score.scorer}" of arm ${score.armIndex} appears twice in the run (also at ${at}.scores[${earlier}]).`);
    }
    scoreKeys.set(key, i);
  });
  const rated = new Map<number, number>();
  run.armRatings.forEach((rating, i) => {
    const where = `${at}.armRatings[${i}]`;
    armExists(`${where}.armIndex`, rating.armIndex);
    const earlier = rated.get(rating.armIndex);
    if (earlier !== undefined) throw bad(`${where}.armIndex: arm ${rating.armIndex} is rated twice (also at ${at}.armRatings[${earlier}]).`);
    rated.set(rating.armIndex, i);
  });
  if (run.runRating && typeof run.runRating.preferredArm === 'number') armExists(`${at}.runRating.preferredArm`, run.runRating.preferredArm);
}

/**
 * Each sample belongs to an arm the run has, holds its place once, and an image's bytes are the
 * image type it claims.
 */
export function checkImages(run: Bundle['runs'][number], at: string): void {
  const places = new Map<string, number>();
  run.images.forEach((image, i) => {
    const where = `${at}.images[${i}]`;
    if (image.armIndex >= run.arms.length) {
      throw bad(`${where}.armIndex: refers to arm ${image.armIndex}, but the run has ${run.arms.length} arm${run.arms.length === 1 ? '' : 's'}.`);
    }
    if (image.position !== null) {
      const key = `${image.armIndex}:${image.position}`;
      const earlier = places.get(key);
      if (earlier !== undefined) throw bad(`${where}.position: arm ${image.armIndex} has two samples at place ${image.position} (also at ${at}.images[${earlier}]).`);
      places.set(key, i);
    }
    if (image.base64 === null) return;
    // The signature is in the first 12 bytes: decode only those here (the write decodes the rest).
    const actual = sniffImageType(Buffer.from(image.base64.slice(0, 16), 'base64'));
    if (actual !== image.mimeType) {
      throw bad(`${where}.base64: the bytes are ${actual ?? 'not a PNG, JPEG or WebP image'}, not the ${image.mimeType} the file claims.`);
    }
  });
}

export interface ImportContext {
  db: Db;
  now: () => number;
}

/** What decides whether a run in a file is the one already in the history. */
function fingerprint(run: { title: string; startedAt: number; status: string; arms: readonly { label: string; modelId: string; technique: string; text: string; status: string }[] }): string {
  return JSON.stringify([run.title, run.startedAt, run.status, run.arms.map((a) => [a.label, a.modelId, a.technique, a.status, a.text])]);
}

/**
 * Writes bundles to the database piece by piece (the streaming import writes the header, then
 * runs in batches, then collections); writeBundle below does all of it in one transaction.
 * The SQL is the import repository's (store/imports.ts). Every row it adds is noted in the
 * import journal in the same transaction that adds it, and `finish` (with the collections, the
 * last write) forgets the notes: an import cancelled, failed or killed half-way is taken back
 * (`takeBack`, or `recoverUnfinishedImports` at the next start), nothing else is touched.
 */
export function createBundleWriter(context: ImportContext, options: { source?: string } = {}) {
  const { db, now } = context;
  const repo = createImportRepo(db);
  const steps = createStepRepo(db);
  const images = createImageRepo(db, now);
  const corpora = createCorpusRepo(db, now);
  const at = now();
  let importId: string | null = null;
  /** The import's journal record, written in the transaction of its first rows. */
  const journal = (): string => (importId ??= repo.begin(options.source ?? '', at));

  const report: ImportReport = { imported: 0, skipped: 0, skippedRuns: [], experiments: 0, pack: null };

  return {
    report,
    header(header: Omit<Bundle, 'runs' | 'formatVersion'>): void {
      const id = journal();
      for (const experiment of header.experiments) {
        if (repo.experimentExists(experiment.id)) continue;
        repo.insertExperiment(experiment);
        repo.note(id, 'experiment', experiment.id);
        report.experiments += 1;
      }
      const packRecords = header.pack ? [header.pack, ...header.packs] : header.packs;
      for (const pack of packRecords) {
        if (repo.packExists(pack.id)) continue;
        repo.insertPack(pack, at);
        repo.note(id, 'pack', pack.id);
      }
      // A pack's corpora keep their ids (the runs' retrieve steps name them); one already here is kept as it is.
      for (const corpus of header.corpora) {
        if (corpora.get(corpus.id)) continue;
        importCorpus(db, corpus, { id: corpus.id });
        repo.note(id, 'corpus', corpus.id);
        report.corpora = (report.corpora ?? 0) + 1;
        report.corpusIds = [...(report.corpusIds ?? []), corpus.id];
      }
    },

    /** Writes one run; returns false when it was skipped (already in the history). */
    run(run: Bundle['runs'][number], index: number, packId: string | null): boolean {
      const existing = repo.existingRun(run.id);
      if (existing) {
        report.skipped += 1;
        if (report.skippedRuns!.length < SKIPPED_LISTED) {
          const same = fingerprint(existing) === fingerprint(run);
          report.skippedRuns!.push({ id: run.id, title: run.title, reason: same ? 'same' : 'different' });
        }
        return false;
      }
      if (run.experimentId !== null && !repo.experimentExists(run.experimentId)) {
        throw bad(`runs[${index}].experimentId: refers to experiment "${run.experimentId}", which is neither in the file nor in this history.`);
      }
      const id = journal();
      // The run's arms, images, scores and ratings go in first and the run last (foreign keys
      // checked at commit): the search index then adds the run's document once, from the run's
      // own insert trigger, instead of re-indexing it after every arm and critique.
      repo.deferForeignKeys();
      for (const arm of run.arms) {
        repo.insertArm(run.id, arm);
        // The arm's trace as it ran: each step (its critique text joins the run's search
        // document from the run's own insert below), then the answer's versions.
        for (const step of arm.steps) steps.save(run.id, arm.index, step);
        if (arm.versions.length > 0) steps.saveVersions(run.id, arm.index, arm.versions);
      }
      for (const image of run.images) {
        const meta = { position: image.position ?? undefined, seed: image.seed, ...(image.request === null ? {} : { request: image.request }) };
        if (image.status === 'ok' && image.base64 !== null) images.add(run.id, image.armIndex, Buffer.from(image.base64, 'base64'), meta);
        else if (image.status !== 'ok') images.addMissing(run.id, image.armIndex, image.status, image.reason ?? 'No image came back.', meta);
      }
      // Only for a run written here: a run skipped above (already present) keeps its own scores.
      for (const score of run.scores) repo.insertScore(run.id, score);
      for (const rating of run.armRatings) repo.insertArmRating(run.id, rating);
      if (run.runRating) repo.insertRunRating(run.id, run.runRating);
      repo.insertRun(run, packId);
      repo.note(id, 'run', run.id);
      for (const tag of run.tags) if (repo.tagRun(run.id, tag)) repo.note(id, 'tag', tag);
      report.imported += 1;
      return true;
    },

    /** The collections, the import's last write: call inside the transaction that ends with `finish`. */
    collections(collections: Bundle['collections']): void {
      for (const collection of collections) {
        repo.insertCollection(collection);
        for (const runId of collection.runIds) repo.addToCollection(collection.id, runId, at);
      }
    },

    /** The import is whole (call in the transaction of its last rows): nothing is taken back any more. */
    finish(): void {
      if (importId !== null) repo.finish(importId);
      importId = null;
    },

    /** Takes back everything this writer added (an import cancelled or refused half-way), a slice at a time. */
    async takeBack(): Promise<void> {
      const id = importId;
      importId = null;
      if (id === null) return;
      while (!rollBackImportSlice(context, id)) await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/** Runs taken back per transaction when an unfinished import is undone. */
const ROLLBACK_SLICE = 500;

/**
 * Takes back a slice of what an unfinished import added: up to `slice` runs (with their arms,
 * steps, scores, ratings, tags and images), or, once no run is left, the experiments, packs,
 * corpora and tags it added and its journal record. Returns true when nothing of it is left.
 * Rows that were there before the import are never in its journal, so they are never touched.
 */
export function rollBackImportSlice(context: ImportContext, importId: string, slice = ROLLBACK_SLICE): boolean {
  const { db, now } = context;
  const repo = createImportRepo(db);
  const images = createImageRepo(db, now);
  const runIds = repo.noted(importId, 'run', slice);
  if (runIds.length > 0) {
    const hashes = db.transaction((): string[] => {
      const used = images.hashesOfRuns(runIds);
      for (const id of runIds) {
        repo.deleteRun(id);
        repo.unnote(importId, 'run', id);
      }
      return used;
    })();
    images.removeIfUnused(hashes);
    return false;
  }
  const corpora = createCorpusRepo(db, now);
  db.transaction(() => {
    const all = Number.MAX_SAFE_INTEGER;
    for (const name of repo.noted(importId, 'tag', all)) repo.deleteUnusedTag(name);
    for (const id of repo.noted(importId, 'corpus', all)) corpora.remove(id);
    for (const id of repo.noted(importId, 'pack', all)) repo.deletePack(id);
    for (const id of repo.noted(importId, 'experiment', all)) repo.deleteExperiment(id);
    repo.deleteEmptyCounters();
    repo.finish(importId);
  })();
  return true;
}

/**
 * At start-up: takes back every import that never finished (the app was killed or crashed
 * half-way). Returns how many imports were taken back; one indexed read when there are none.
 */
export function recoverUnfinishedImports(context: ImportContext): number {
  const unfinished = createImportRepo(context.db).unfinished();
  for (const id of unfinished) while (!rollBackImportSlice(context, id)) {
    // the next slice
  }
  return unfinished.length;
}

/** Writes a validated bundle in one transaction; throws (and writes nothing) on any conflict. */
export function writeBundle(context: ImportContext, bundle: Bundle): ImportReport {
  const write = context.db.transaction((): ImportReport => {
    const writer = createBundleWriter(context);
    writer.header(bundle);
    const packId = (run: Bundle['runs'][number]) => (bundle.kind === 'pack' ? bundle.pack!.id : run.packId);
    createSearchIndexWriter(context.db).deferred((added) =>
      bundle.runs.forEach((run, index) => {
        if (writer.run(run, index, packId(run))) added(run.id);
      }),
    );
    writer.collections(bundle.collections);
    writer.finish();
    return writer.report;
  });
  return write();
}

/** The whole import: read, parse, validate, write. */
export function importFile(context: ImportContext, path: string, limits: ImportLimits = {}): { bundle: Bundle; report: ImportReport } {
  const bundle = validateBundle(parseBundleBytes(readImportFile(path, limits), limits));
  return { bundle, report: writeBundle(context, bundle) };
}

/**
 * Where JSON stops being valid (Node 20's JSON.parse does not always say): a small validating
 * scanner, run only after a parse failed. Returns the offset of the first bad character, the
 * text length when the text ends early, or null if it finds nothing wrong.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const fail = (): never => {
    throw i;
  };
  /** The wanted character is missing: the text ended early, or something else is there. */
  const expect = (): never => {
    throw i >= text.length ? text.length : i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw text.length;
    i += 1;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    if (i >= text.length) throw text.length;
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      ws();
      if (text[i] === close) {
        i += 1;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') expect();
          string();
          ws();
          if (text[i] !== ':') expect();
          i += 1;
        }
        value(depth + 1);
        ws();
        if (i >= text.length) throw text.length;
        if (text[i] === ',') {
          i += 1;
          continue;
        }
        if (text[i] === close) {
          i += 1;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : null;
  } catch (offset) {
    return typeof offset === 'number' ? offset : null;
  }
}
