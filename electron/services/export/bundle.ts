/**
 * The lossless exchange format shared by JSON exports and workshop packs, with its versioned
 * schema. Reading: `readBundle(db, runIds)`. Writing to the database: ./import.ts.
 */
import { z } from 'zod';
import { ARM_STATUSES, ExperimentConfig, InferenceSettings, RUN_STATUSES, Turn } from '../../../shared/domain';
import type { RunDetail } from '../../../shared/domain';
import type { Db } from '../store';
import { createRunRepo } from '../store';

/** Bump when the shape changes; readers accept every version they know (see import.ts). */
export const FORMAT_VERSION = 1;

const Text = z.string().max(10_000_000);
const Id = z.string().min(1).max(200);
const Time = z.number().int().nonnegative();

const ArmRecord = z.object({
  index: z.number().int().min(0).max(15),
  label: z.string().max(200),
  technique: z.string().max(200),
  modelId: z.string().max(300),
  request: z.object({ system: Text, messages: z.array(Turn).max(1_000), inference: InferenceSettings }),
  text: Text,
  status: z.enum(ARM_STATUSES),
  stopReason: z.string().max(200).nullable(),
  error: z.object({ code: z.string().max(200), message: z.string().max(20_000), details: z.string().max(200_000).optional() }).nullable(),
  metrics: z.object({
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    ttftMs: z.number().nullable(),
    totalMs: z.number().nullable(),
    costUsd: z.number().nullable(),
  }),
});

/** A run with everything the history keeps about it. */
export const RunRecord = z.object({
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
  /** Generated images, inline (base64), once image runs exist; empty for text runs. */
  images: z
    .array(z.object({ armIndex: z.number().int().min(0), mimeType: z.enum(['image/png', 'image/jpeg', 'image/webp']), base64: z.string() }))
    .max(64)
    .default([]),
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

export const Bundle = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  kind: z.enum(['runs', 'pack']),
  exportedAt: Time,
  app: z.object({ name: z.literal('Parallax'), version: z.string().max(100) }),
  /** Present when kind is 'pack': the pack the runs are imported under. */
  pack: PackRecord.nullable(),
  /** Packs the runs came from earlier (a JSON export of imported runs keeps their source). */
  packs: z.array(PackRecord).max(10_000),
  experiments: z.array(ExperimentRecord).max(100_000),
  collections: z.array(CollectionRecord).max(10_000),
  runs: z.array(RunRecord).max(1_000_000),
});
export type Bundle = z.infer<typeof Bundle>;

interface MetaRow {
  id: string;
  starred: number;
  note: string;
  lab_id: string | null;
  source_pack_id: string | null;
}

/** Reads runs (in the order given) with their metadata, experiments and source packs. */
export function readBundle(
  db: Db,
  runIds: readonly string[],
  options: { kind: 'runs' | 'pack'; version: string; now: number; pack?: Omit<PackRecord, 'labIds' | 'models' | 'techniques'>; collectionIds?: string[] },
): Bundle {
  const runs = createRunRepo(db);
  const meta = db.prepare<[string], MetaRow>('SELECT id, starred, note, lab_id, source_pack_id FROM runs WHERE id = ?');
  const tags = db
    .prepare<[string], string>(
      'SELECT t.name FROM run_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.run_id = ? ORDER BY t.name COLLATE NOCASE',
    )
    .pluck();
  const records: RunRecord[] = [];
  for (const id of runIds) {
    const run: RunDetail | undefined = runs.get(id);
    const row = meta.get(id);
    if (!run || !row) continue;
    records.push({
      id: run.id,
      experimentId: run.experimentId,
      title: run.title,
      config: run.config,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      arms: run.arms.map((arm) => ({ ...arm, error: arm.error ?? null })),
      starred: row.starred === 1,
      note: row.note,
      tags: tags.all(id),
      labId: row.lab_id,
      packId: options.kind === 'pack' ? null : row.source_pack_id,
      images: [],
    });
  }

  const experimentIds = [...new Set(records.map((r) => r.experimentId).filter((id): id is string => id !== null))];
  const experiments = experimentIds.flatMap((id) => {
    const row = db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as
      | { id: string; name: string; description: string; lab_id: string | null; config: string; created_at: number; updated_at: number }
      | undefined;
    return row
      ? [{ id: row.id, name: row.name, description: row.description, labId: row.lab_id, config: JSON.parse(row.config) as ExperimentConfig, createdAt: row.created_at, updatedAt: row.updated_at }]
      : [];
  });

  const packIds = [...new Set(records.map((r) => r.packId).filter((id): id is string => id !== null))];
  const packs = packIds.flatMap((id) => {
    const row = db.prepare('SELECT * FROM packs WHERE id = ?').get(id) as
      | { id: string; title: string; author: string; description: string; created_at: number; meta: string }
      | undefined;
    if (!row) return [];
    const extra = JSON.parse(row.meta) as Partial<PackRecord>;
    return [{ id: row.id, title: row.title, author: row.author, description: row.description, createdAt: row.created_at, labIds: extra.labIds ?? [], models: extra.models ?? [], techniques: extra.techniques ?? [] }];
  });

  const collections = (options.collectionIds ?? []).flatMap((id) => {
    const row = db.prepare('SELECT * FROM collections WHERE id = ?').get(id) as
      | { id: string; name: string; description: string; created_at: number; updated_at: number }
      | undefined;
    if (!row) return [];
    const inCollection = new Set(db.prepare('SELECT run_id FROM collection_runs WHERE collection_id = ?').pluck().all(id) as string[]);
    const members = records.map((r) => r.id).filter((runId) => inCollection.has(runId));
    return [{ id: row.id, name: row.name, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at, runIds: members }];
  });

  const pack: PackRecord | null = options.pack
    ? {
        ...options.pack,
        labIds: [...new Set(records.map((r) => r.labId).filter((id): id is string => id !== null))].sort(),
        models: [...new Set(records.flatMap((r) => r.arms.map((a) => a.modelId)))].sort(),
        techniques: [...new Set(records.flatMap((r) => r.arms.map((a) => a.technique)))].sort(),
      }
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
    runs: records,
  };
}
