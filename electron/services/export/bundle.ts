/**
 * The lossless exchange format shared by JSON exports and workshop packs, with its versioned
 * schema. Reading: `readBundle(db, runIds)`. Writing to the database: ./import.ts.
 */
import { z } from 'zod';
import { IMAGE_MIME_TYPES, IMAGE_SAMPLE_STATUSES, ImageSettings, MAX_IMAGE_BYTES } from '../../../shared/images';
import { ARM_STATUSES, ExperimentConfig, InferenceSettings, RUN_STATUSES, Turn } from '../../../shared/domain';
import { STEP_STATUSES } from '../../../shared/steps/trace';
import type { RunDetail } from '../../../shared/domain';
import { corporaUsed } from '../../../shared/rag/used';
import type { Db } from '../store';
import { createImageRepo, createRunRepo } from '../store';
import { exportPackCorpora, PackCorpus } from '../rag/pack';

/**
 * Bump when the shape changes; readers accept every version they know (see import.ts).
 * 1: runs with their history metadata. 2: plus each run's scores and human ratings (0004).
 * 3: plus each arm's step traces, answer versions and what stopped it (0009), and every image
 * sample with its seed, request and, for a filtered or failed one, its reason (0012). A format 2
 * file reads as format 3 with none of these (they default to empty).
 */
export const FORMAT_VERSION = 3;
/** Formats read with the current schema (older fields default). */
const CURRENT_FORMATS = [2, 3] as const;

const Text = z.string().max(10_000_000);
const Id = z.string().min(1).max(200);
const Time = z.number().int().nonnegative();

const ErrorRecord = z.object({ code: z.string().max(200), message: z.string().max(20_000), details: z.string().max(200_000).optional() });

/** One step of an arm's pipeline as it ran (a row of `arm_steps`): what the column's timeline shows. */
export const StepRecord = z.object({
  index: z.number().int().min(0).max(200),
  kind: z.string().min(1).max(80),
  label: z.string().max(2_000),
  status: z.enum(STEP_STATUSES),
  startedAt: z.number().nonnegative().nullable(),
  totalMs: z.number().nonnegative().nullable(),
  inputTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  costUsd: z.number().nonnegative().nullable(),
  summary: z.string().max(20_000).nullable(),
  /** Kind-specific (critiques, revisions, rewritten prompts…), as the step saved it. */
  detail: z.json(),
  error: ErrorRecord.nullable(),
});
export type StepRecord = z.infer<typeof StepRecord>;

/** A version of an arm's answer (a row of `arm_versions`): the first draft, then each revision. */
export const VersionRecord = z.object({ stepIndex: z.number().int().min(0).max(200), reason: z.string().max(2_000), text: Text });

const StoppedByRecord = z.object({ stepIndex: z.number().int().min(0).max(200), label: z.string().max(2_000), reason: z.string().max(20_000) });

const ArmRecord = z.object({
  index: z.number().int().min(0).max(15),
  label: z.string().max(200),
  technique: z.string().max(200),
  modelId: z.string().max(300),
  request: z.object({ system: Text, messages: z.array(Turn).max(1_000), inference: InferenceSettings, image: ImageSettings.optional() }),
  text: Text,
  status: z.enum(ARM_STATUSES),
  stopReason: z.string().max(200).nullable(),
  error: ErrorRecord.nullable(),
  metrics: z.object({
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    ttftMs: z.number().nullable(),
    totalMs: z.number().nullable(),
    costUsd: z.number().nullable(),
  }),
  /** Format 3: the arm's pipeline as it ran; empty for a plain model call or an older file. */
  steps: z.array(StepRecord).max(200).default([]),
  versions: z.array(VersionRecord).max(200).default([]),
  stoppedBy: StoppedByRecord.nullable().default(null),
}).superRefine((arm, ctx) => {
  const seen = new Map<number, number>();
  arm.steps.forEach((step, i) => {
    const earlier = seen.get(step.index);
    if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: ['steps', i, 'index'], message: `step ${step.index} appears twice in the arm (also at steps[${earlier}])` });
    seen.set(step.index, i);
  });
});

/**
 * One sample of an image arm: its bytes (inline, base64) when an image came back, or the reason
 * none did (the model's filter message, throttling, access). Files before format 3 hold only the
 * images, each with its bytes.
 */
export const ImageRecord = z
  .object({
    armIndex: z.number().int().min(0).max(15),
    status: z.enum(IMAGE_SAMPLE_STATUSES).default('ok'),
    mimeType: z.enum(IMAGE_MIME_TYPES).nullable(),
    base64: z.base64().max(Math.ceil(MAX_IMAGE_BYTES / 3) * 4).nullable(),
    /** The sample's place in its arm (its seed offset); in file order when absent. */
    position: z.number().int().min(0).max(63).nullable().default(null),
    seed: z.number().int().nullable().default(null),
    /** The exact request body the sample came from, when known. */
    request: z.json().default(null),
    reason: z.string().max(20_000).nullable().default(null),
  })
  .superRefine((image, ctx) => {
    if (image.status === 'ok') {
      if (image.mimeType === null) ctx.addIssue({ code: 'custom', path: ['mimeType'], message: 'an image sample needs its type' });
      if (image.base64 === null) ctx.addIssue({ code: 'custom', path: ['base64'], message: 'an image sample needs its bytes' });
    } else {
      if (image.base64 !== null) ctx.addIssue({ code: 'custom', path: ['base64'], message: `a ${image.status} sample has no image bytes` });
      if (image.reason === null) ctx.addIssue({ code: 'custom', path: ['reason'], message: `a ${image.status} sample says why it has no image` });
    }
  });
export type ImageRecord = z.infer<typeof ImageRecord>;

/** A run with everything the history keeps about it (format 1). */
export const RunRecordV1 = z.object({
  id: Id,
  experimentId: Id.nullable(),
  title: z.string().max(1_000),
  config: ExperimentConfig,
  status: z.enum(RUN_STATUSES),
  startedAt: Time,
  finishedAt: Time.nullable(),
  arms: z.array(ArmRecord).min(1).max(16),
  starred: z.boolean(),
  note: z.string().max(100_000),
  tags: z.array(z.string().trim().min(1).max(60)).max(100),
  labId: Id.nullable(),
  packId: Id.nullable(),
  /** Generated image samples in order per arm (format 3: with filtered and failed ones); empty for text runs. */
  images: z.array(ImageRecord).max(64).default([]),
});
export type RunRecordV1 = z.infer<typeof RunRecordV1>;

/**
 * One stored score (a row of `scores`), as it is: a metric or a judge's verdict with its
 * feedback, the exact judge prompt and model, details, or the error that stopped it.
 */
export const ScoreRecord = z.object({
  armIndex: z.number().int().min(0).max(15),
  /** The compared arm of a pairwise score; null for single-arm scores. */
  otherArmIndex: z.number().int().min(0).max(15).nullable(),
  scorer: z.string().min(1).max(80),
  kind: z.enum(['metric', 'judge']),
  value: z.number().nullable(),
  passed: z.boolean().nullable(),
  details: z.json(),
  feedback: Text,
  prompt: Text.nullable(),
  modelId: z.string().max(300).nullable(),
  error: z.string().max(200_000).nullable(),
  outputHash: z.string().max(200).nullable(),
  createdAt: Time,
});
export type ScoreRecord = z.infer<typeof ScoreRecord>;

/** A person's thumbs and stars for one arm (a row of `arm_ratings`). */
export const ArmRatingRecord = z.object({
  armIndex: z.number().int().min(0).max(15),
  thumb: z.enum(['up', 'down']).nullable(),
  stars: z.number().int().min(1).max(5).nullable(),
  updatedAt: Time,
});
export type ArmRatingRecord = z.infer<typeof ArmRatingRecord>;

/** A person's verdict on the run (a row of `run_ratings`); the note is the run's own `note`. */
export const RunRatingRecord = z.object({
  preferredArm: z.union([z.number().int().min(0).max(15), z.literal('tie')]).nullable(),
  updatedAt: Time,
});
export type RunRatingRecord = z.infer<typeof RunRatingRecord>;

/** A run with everything kept about it: history metadata, scores and ratings (format 2). */
export const RunRecord = RunRecordV1.extend({
  scores: z.array(ScoreRecord).max(10_000),
  armRatings: z.array(ArmRatingRecord).max(16),
  /** null when nobody gave a verdict on the run. */
  runRating: RunRatingRecord.nullable(),
});
export type RunRecord = z.infer<typeof RunRecord>;

const ExperimentRecord = z.object({
  id: Id,
  name: z.string().max(200),
  description: z.string().max(5_000),
  labId: Id.nullable(),
  config: ExperimentConfig,
  createdAt: Time,
  updatedAt: Time,
});

export const PackRecord = z.object({
  id: Id,
  title: z.string().trim().min(1).max(200),
  author: z.string().max(200),
  description: z.string().max(5_000),
  createdAt: Time,
  /** Labs, models and techniques the runs use, for the import preview. */
  labIds: z.array(Id).max(1_000).default([]),
  models: z.array(z.string().max(300)).max(1_000).default([]),
  techniques: z.array(z.string().max(200)).max(1_000).default([]),
});
export type PackRecord = z.infer<typeof PackRecord>;

const CollectionRecord = z.object({
  id: Id,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5_000),
  createdAt: Time,
  updatedAt: Time,
  runIds: z.array(Id).max(1_000_000),
});

const bundleShape = {
  kind: z.enum(['runs', 'pack']),
  exportedAt: Time,
  app: z.object({ name: z.literal('Parallax'), version: z.string().max(100) }),
  /** Present when kind is 'pack': the pack the runs are imported under. */
  pack: PackRecord.nullable(),
  /** Packs the runs came from earlier (a JSON export of imported runs keeps their source). */
  packs: z.array(PackRecord).max(10_000),
  experiments: z.array(ExperimentRecord).max(100_000),
  collections: z.array(CollectionRecord).max(10_000),
  /**
   * A pack's corpora: those its runs' (and experiments') retrieve steps search, with documents,
   * chunks and vectors, so trainees retrieve offline. Empty in JSON exports and older files.
   */
  corpora: z.array(PackCorpus).max(100).default([]),
};

/** The current format, the one Parallax writes. */
export const Bundle = z.object({
  formatVersion: z.literal(CURRENT_FORMATS).transform((): typeof FORMAT_VERSION => FORMAT_VERSION),
  ...bundleShape,
  runs: z.array(RunRecord).max(1_000_000),
});
export type Bundle = z.infer<typeof Bundle>;

/** Format 1 (no scores or ratings), still imported: `upgradeBundleV1` brings it to the current shape. */
export const BundleV1 = z.object({
  formatVersion: z.literal(1),
  ...bundleShape,
  runs: z.array(RunRecordV1).max(1_000_000),
});
export type BundleV1 = z.infer<typeof BundleV1>;

export function upgradeBundleV1(bundle: BundleV1): Bundle {
  return {
    ...bundle,
    formatVersion: FORMAT_VERSION,
    runs: bundle.runs.map((run) => ({ ...run, scores: [], armRatings: [], runRating: null })),
  };
}

interface MetaRow {
  id: string;
  starred: number;
  note: string;
  lab_id: string | null;
  source_pack_id: string | null;
}

interface ScoreRow {
  arm_index: number;
  other_arm_index: number;
  scorer: string;
  kind: 'metric' | 'judge';
  value: number | null;
  passed: number | null;
  details: string;
  feedback: string;
  prompt: string | null;
  model_id: string | null;
  error: string | null;
  output_hash: string | null;
  created_at: number;
}

function scoreRecordFromRow(row: ScoreRow): ScoreRecord {
  return {
    armIndex: row.arm_index,
    otherArmIndex: row.other_arm_index === -1 ? null : row.other_arm_index,
    scorer: row.scorer,
    kind: row.kind,
    value: row.value,
    passed: row.passed === null ? null : row.passed === 1,
    details: JSON.parse(row.details) as z.core.util.JSONType,
    feedback: row.feedback,
    prompt: row.prompt,
    modelId: row.model_id,
    error: row.error,
    outputHash: row.output_hash,
    createdAt: row.created_at,
  };
}

export type RecordKind = 'runs' | 'pack';

/**
 * Reads one run at a time as a RunRecord (what an export streams): prepared once, then one
 * call per run, so an export of any size holds one run in memory.
 */
export function createRecordReader(db: Db, kind: RecordKind) {
  const runs = createRunRepo(db);
  const images = createImageRepo(db);
  const meta = db.prepare<[string], MetaRow>('SELECT id, starred, note, lab_id, source_pack_id FROM runs WHERE id = ?');
  const tags = db
    .prepare<[string], string>(
      'SELECT t.name FROM run_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.run_id = ? ORDER BY t.name COLLATE NOCASE',
    )
    .pluck();
  const scores = db.prepare<[string], ScoreRow>(
    `SELECT arm_index, other_arm_index, scorer, kind, value, passed, details, feedback, prompt, model_id, error, output_hash, created_at
     FROM scores WHERE run_id = ? ORDER BY arm_index, scorer, other_arm_index`,
  );
  const armRatings = db.prepare<[string], { arm_index: number; thumb: number | null; stars: number | null; updated_at: number }>(
    'SELECT arm_index, thumb, stars, updated_at FROM arm_ratings WHERE run_id = ? ORDER BY arm_index',
  );
  const runRating = db.prepare<[string], { preferred_arm: number | null; updated_at: number }>(
    'SELECT preferred_arm, updated_at FROM run_ratings WHERE run_id = ?',
  );
  return (id: string): RunRecord | undefined => {
    const run: RunDetail | undefined = runs.get(id);
    const row = meta.get(id);
    if (!run || !row) return undefined;
    return {
      id: run.id,
      experimentId: run.experimentId,
      title: run.title,
      config: run.config,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      arms: run.arms.map((arm) => ({
        index: arm.index,
        label: arm.label,
        technique: arm.technique,
        modelId: arm.modelId,
        request: arm.request,
        text: arm.text,
        status: arm.status,
        stopReason: arm.stopReason,
        error: arm.error ?? null,
        metrics: arm.metrics,
        steps: (arm.steps ?? []).map((step) => StepRecord.parse({ ...step, detail: step.detail ?? null })),
        versions: arm.versions ?? [],
        stoppedBy: arm.stoppedBy ?? null,
      })),
      starred: row.starred === 1,
      note: row.note,
      tags: tags.all(id),
      labId: row.lab_id,
      packId: kind === 'pack' ? null : row.source_pack_id,
      images: images.samplesForRun(id),
      scores: scores.all(id).map(scoreRecordFromRow),
      armRatings: armRatings.all(id).map((r) => ({
        armIndex: r.arm_index,
        thumb: r.thumb === null ? null : r.thumb > 0 ? 'up' : 'down',
        stars: r.stars,
        updatedAt: r.updated_at,
      })),
      runRating: ((r) =>
        r ? { preferredArm: r.preferred_arm === null ? null : r.preferred_arm === -1 ? 'tie' : r.preferred_arm, updatedAt: r.updated_at } : null)(
        runRating.get(id),
      ),
    };
  };
}

export type BundleHeader = Omit<Bundle, 'runs'>;

const ID_CHUNK = 500;
function* chunks<T>(items: readonly T[], size = ID_CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Everything in a bundle but its runs, for these runs: the experiments they ran from, the packs
 * they came from, the collections asked for (members among these runs, in their order) and,
 * for a pack, what its runs use. Read with a few queries per 500 runs, never the runs themselves.
 */
export function readBundleHeader(
  db: Db,
  runIds: readonly string[],
  options: { kind: RecordKind; version: string; now: number; pack?: Omit<PackRecord, 'labIds' | 'models' | 'techniques'>; collectionIds?: string[] },
): BundleHeader {
  const experimentIds = new Set<string>();
  const packIds = new Set<string>();
  const labIds = new Set<string>();
  const models = new Set<string>();
  const techniques = new Set<string>();
  const runFacts = db.prepare<[string], { experiment_id: string | null; source_pack_id: string | null; lab_id: string | null }>(
    'SELECT experiment_id, source_pack_id, lab_id FROM runs WHERE id IN (SELECT value FROM json_each(?))',
  );
  const armFacts = db.prepare<[string], { model_id: string; technique: string }>(
    'SELECT DISTINCT model_id, technique FROM arm_outputs WHERE run_id IN (SELECT value FROM json_each(?))',
  );
  for (const chunk of chunks(runIds)) {
    const ids = JSON.stringify(chunk);
    for (const row of runFacts.all(ids)) {
      if (row.experiment_id !== null) experimentIds.add(row.experiment_id);
      if (row.source_pack_id !== null && options.kind !== 'pack') packIds.add(row.source_pack_id);
      if (row.lab_id !== null) labIds.add(row.lab_id);
    }
    if (options.pack) {
      for (const row of armFacts.all(ids)) {
        models.add(row.model_id);
        techniques.add(row.technique);
      }
    }
  }

  const experiments = [...experimentIds].flatMap((id) => {
    const row = db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as
      | { id: string; name: string; description: string; lab_id: string | null; config: string; created_at: number; updated_at: number }
      | undefined;
    return row
      ? [{ id: row.id, name: row.name, description: row.description, labId: row.lab_id, config: JSON.parse(row.config) as ExperimentConfig, createdAt: row.created_at, updatedAt: row.updated_at }]
      : [];
  });

  const packs = [...packIds].flatMap((id) => {
    const row = db.prepare('SELECT * FROM packs WHERE id = ?').get(id) as
      | { id: string; title: string; author: string; description: string; created_at: number; meta: string }
      | undefined;
    if (!row) return [];
    const extra = PackMeta.parse(JSON.parse(row.meta));
    return [{ id: row.id, title: row.title, author: row.author, description: row.description, createdAt: row.created_at, labIds: extra.labIds ?? [], models: extra.models ?? [], techniques: extra.techniques ?? [] }];
  });

  const order = new Map(runIds.map((id, index) => [id, index]));
  const collections = (options.collectionIds ?? []).flatMap((id) => {
    const row = db.prepare('SELECT * FROM collections WHERE id = ?').get(id) as
      | { id: string; name: string; description: string; created_at: number; updated_at: number }
      | undefined;
    if (!row) return [];
    const members = (db.prepare('SELECT run_id FROM collection_runs WHERE collection_id = ?').pluck().all(id) as string[])
      .filter((runId) => order.has(runId))
      .sort((a, b) => order.get(a)! - order.get(b)!);
    return [{ id: row.id, name: row.name, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at, runIds: members }];
  });

  const corpusIds = new Set<string>();
  if (options.pack) {
    const configs = db.prepare<[string], string>(`SELECT config FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND instr(config, '"retrieve"') > 0`).pluck();
    const used = (config: unknown) => {
      const parsed = ExperimentConfig.safeParse(config);
      if (parsed.success) for (const id of corporaUsed(parsed.data)) corpusIds.add(id);
    };
    for (const chunk of chunks(runIds)) for (const config of configs.all(JSON.stringify(chunk))) used(JSON.parse(config));
    for (const experiment of experiments) used(experiment.config);
  }

  const pack: PackRecord | null = options.pack
    ? { ...options.pack, labIds: [...labIds].sort(), models: [...models].sort(), techniques: [...techniques].sort() }
    : null;

  return {
    formatVersion: FORMAT_VERSION,
    kind: options.kind,
    exportedAt: options.now,
    app: { name: 'Parallax', version: options.version },
    pack,
    packs,
    experiments,
    collections,
    corpora: corpusIds.size > 0 ? exportPackCorpora(db, corpusIds) : [],
  };
}

const PackMeta = z.object({ labIds: z.array(z.string()).optional(), models: z.array(z.string()).optional(), techniques: z.array(z.string()).optional() }).catch({});

/** Reads runs (in the order given) with their metadata, experiments and source packs, all in memory (small selections, packs, tests). */
export function readBundle(
  db: Db,
  runIds: readonly string[],
  options: { kind: RecordKind; version: string; now: number; pack?: Omit<PackRecord, 'labIds' | 'models' | 'techniques'>; collectionIds?: string[] },
): Bundle {
  const read = createRecordReader(db, options.kind);
  const records = runIds.map(read).filter((record): record is RunRecord => record !== undefined);
  const found = records.map((record) => record.id);
  return { ...readBundleHeader(db, found, options), runs: records };
}
