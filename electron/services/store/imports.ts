/**
 * The rows an import writes (runs with their arms, scores and ratings, experiments, packs, tags,
 * collections), and the import journal (0019) that makes an import all-or-nothing across its
 * batches, a Cancel and a crash: each batch notes the rows it added in the same transaction that
 * adds them, `finish` forgets the notes in the transaction that writes the last rows, and
 * `rollBackSome` takes back what an unfinished import had added, a slice at a time. The bundle
 * writer (export/import.ts) drives it; nothing here reads files.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { ArmRatingRecord, PackRecord, RunRatingRecord, RunRecord, ScoreRecord } from '../export/bundle';

/** What the journal notes per import; a run's own rows (arms, steps, scores…) go with it. */
export type ImportedKind = 'run' | 'experiment' | 'pack' | 'corpus' | 'tag';

export interface ExistingRun {
  title: string;
  startedAt: number;
  status: string;
  arms: { label: string; modelId: string; technique: string; text: string; status: string }[];
}

export interface ImportedExperiment {
  id: string;
  name: string;
  description: string;
  labId: string | null;
  config: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface ImportedCollection {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

type Arm = RunRecord['arms'][number];

export function createImportRepo(db: Db) {
  const runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  const experimentExists = db.prepare('SELECT 1 FROM experiments WHERE id = ?').pluck();
  const packExists = db.prepare('SELECT 1 FROM packs WHERE id = ?').pluck();
  const collectionExists = db.prepare('SELECT 1 FROM collections WHERE id = ?').pluck();
  const existing = db.prepare<[string], { title: string; started_at: number; status: string }>('SELECT title, started_at, status FROM runs WHERE id = ?');
  const existingArms = db.prepare<[string], { label: string; model_id: string; technique: string; text: string; status: string }>(
    'SELECT label, model_id, technique, text, status FROM arm_outputs WHERE run_id = ? ORDER BY arm_index',
  );
  const insertExperiment = db.prepare(
    `INSERT INTO experiments (id, name, description, lab_id, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPack = db.prepare(
    `INSERT INTO packs (id, title, author, description, created_at, imported_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRun = db.prepare(
    `INSERT INTO runs (id, experiment_id, title, config, status, started_at, finished_at, starred, note, lab_id, source_pack_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fixLab = db.prepare('UPDATE runs SET lab_id = ? WHERE id = ?');
  const insertArm = db.prepare(
    `INSERT INTO arm_outputs (run_id, arm_index, label, technique, model_id, request, text, status, stop_reason, error,
       input_tokens, output_tokens, ttft_ms, total_ms, cost_usd, stopped_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ensureTag = db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const tagRun = db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag_id) SELECT ?, id FROM tags WHERE name = ?');
  const insertCollection = db.prepare('INSERT INTO collections (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const addToCollection = db.prepare('INSERT OR IGNORE INTO collection_runs (collection_id, run_id, added_at) VALUES (?, ?, ?)');
  // Scores and ratings keep the file's timestamps (created_at / updated_at): the import is lossless.
  const insertScore = db.prepare(
    `INSERT INTO scores (run_id, arm_index, other_arm_index, scorer, kind, value, passed, details, feedback, prompt, model_id, error, output_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertArmRating = db.prepare('INSERT INTO arm_ratings (run_id, arm_index, thumb, stars, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertRunRating = db.prepare('INSERT INTO run_ratings (run_id, preferred_arm, updated_at) VALUES (?, ?, ?)');
  const deleteRun = db.prepare('DELETE FROM runs WHERE id = ?');
  const deleteCollection = db.prepare('DELETE FROM collections WHERE id = ?');
  // An experiment or pack the import added goes back only if no run (a comparison started on it meanwhile) uses it.
  const deleteExperiment = db.prepare('DELETE FROM experiments WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE experiment_id = ?)');
  const deletePack = db.prepare('DELETE FROM packs WHERE id = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE source_pack_id = ?)');
  // Counters (0014) whose every run went back: rows at zero show nothing, and an import taken back leaves none.
  const deleteEmptyCounters = db.prepare('DELETE FROM history_facet_counts WHERE n = 0');
  const deleteTag = db.prepare('DELETE FROM tags WHERE name = ? AND NOT EXISTS (SELECT 1 FROM run_tags rt WHERE rt.tag_id = tags.id)');

  // The journal.
  const insertImport = db.prepare('INSERT INTO imports (id, source, started_at) VALUES (?, ?, ?)');
  const deleteImport = db.prepare('DELETE FROM imports WHERE id = ?');
  const note = db.prepare('INSERT OR IGNORE INTO import_rows (import_id, kind, key) VALUES (?, ?, ?)');
  const unnote = db.prepare('DELETE FROM import_rows WHERE import_id = ? AND kind = ? AND key = ?');
  const selectNoted = db.prepare<[string, ImportedKind, number], string>('SELECT key FROM import_rows WHERE import_id = ? AND kind = ? LIMIT ?').pluck();
  const selectUnfinished = db.prepare<[], string>('SELECT id FROM imports ORDER BY started_at, id').pluck();

  return {
    runExists: (id: string): boolean => runExists.get(id) !== undefined,
    experimentExists: (id: string): boolean => experimentExists.get(id) !== undefined,
    packExists: (id: string): boolean => packExists.get(id) !== undefined,
    collectionExists: (id: string): boolean => collectionExists.get(id) !== undefined,

    /** The run already under this id, as far as telling "the same run" from "a different one" needs. */
    existingRun(id: string): ExistingRun | undefined {
      const row = existing.get(id);
      if (!row) return undefined;
      const arms = existingArms.all(id).map((a) => ({ label: a.label, modelId: a.model_id, technique: a.technique, text: a.text, status: a.status }));
      return { title: row.title, startedAt: row.started_at, status: row.status, arms };
    },

    insertExperiment(experiment: ImportedExperiment): void {
      insertExperiment.run(
        experiment.id,
        experiment.name,
        experiment.description,
        experiment.labId,
        JSON.stringify(experiment.config),
        experiment.createdAt,
        experiment.updatedAt,
      );
    },

    insertPack(pack: PackRecord, importedAt: number): void {
      insertPack.run(
        pack.id,
        pack.title,
        pack.author,
        pack.description,
        pack.createdAt,
        importedAt,
        JSON.stringify({ labIds: pack.labIds, models: pack.models, techniques: pack.techniques }),
      );
    },

    /**
     * Checks foreign keys at commit for the rest of the transaction: a run's arms, images, scores
     * and ratings go in before the run itself (so the search index adds its document once).
     */
    deferForeignKeys(): void {
      // Setting a flag pragma expires every prepared statement of the connection (SQLite then
      // recompiles each insert with all its triggers at its next use): set it once per
      // transaction (it goes back off at commit), not once per run. Reading it expires nothing.
      if (db.pragma('defer_foreign_keys', { simple: true }) !== 1) db.pragma('defer_foreign_keys = ON');
    },

    insertArm(runId: string, arm: Arm): void {
      insertArm.run(
        runId,
        arm.index,
        arm.label,
        arm.technique,
        arm.modelId,
        JSON.stringify(arm.request),
        arm.text,
        arm.status,
        arm.stopReason,
        arm.error === null ? null : JSON.stringify(arm.error),
        arm.metrics.inputTokens,
        arm.metrics.outputTokens,
        arm.metrics.ttftMs,
        arm.metrics.totalMs,
        arm.metrics.costUsd,
        arm.stoppedBy === null ? null : JSON.stringify(arm.stoppedBy),
      );
    },

    insertScore(runId: string, score: ScoreRecord): void {
      insertScore.run(
        runId,
        score.armIndex,
        score.otherArmIndex ?? -1,
        score.scorer,
        score.kind,
        score.value,
        score.passed === null ? null : score.passed ? 1 : 0,
        JSON.stringify(score.details ?? null),
        score.feedback,
        score.prompt,
        score.modelId,
        score.error,
        score.outputHash,
        score.createdAt,
      );
    },

    insertArmRating(runId: string, rating: ArmRatingRecord): void {
      insertArmRating.run(runId, rating.armIndex, rating.thumb === null ? null : rating.thumb === 'up' ? 1 : -1, rating.stars, rating.updatedAt);
    },

    insertRunRating(runId: string, rating: RunRatingRecord): void {
      const preferred = rating.preferredArm;
      insertRunRating.run(runId, preferred === null ? null : preferred === 'tie' ? -1 : preferred, rating.updatedAt);
    },

    /** The run's own row (after its arms and the rest, see deferForeignKeys). */
    insertRun(run: RunRecord, packId: string | null): void {
      insertRun.run(
        run.id,
        run.experimentId,
        run.title,
        JSON.stringify(run.config),
        run.status,
        run.startedAt,
        run.finishedAt,
        run.starred ? 1 : 0,
        run.note,
        run.labId,
        packId,
      );
      // The lab trigger fills lab_id from the experiment when it is null; keep the file's value.
      if (run.labId === null) fixLab.run(null, run.id);
    },

    /** Tags the run; returns whether the tag itself is new (so an import that is taken back takes it too). */
    tagRun(runId: string, tag: string): boolean {
      const created = ensureTag.run(tag).changes > 0;
      tagRun.run(runId, tag);
      return created;
    },

    /** Adds the collection if it is not here yet; returns whether it was added. */
    insertCollection(collection: ImportedCollection): boolean {
      if (collectionExists.get(collection.id) !== undefined) return false;
      insertCollection.run(collection.id, collection.name, collection.description, collection.createdAt, collection.updatedAt);
      return true;
    },

    /** Puts a run that is in the history into the collection (nothing if it is there already). */
    addToCollection(collectionId: string, runId: string, at: number): void {
      if (runExists.get(runId) !== undefined) addToCollection.run(collectionId, runId, at);
    },

    deleteRun: (id: string): boolean => deleteRun.run(id).changes > 0,
    deleteCollection: (id: string): boolean => deleteCollection.run(id).changes > 0,
    deleteExperiment: (id: string): boolean => deleteExperiment.run(id, id).changes > 0,
    deletePack: (id: string): boolean => deletePack.run(id, id).changes > 0,
    /** Removes the History's counters that count nothing any more (their runs were taken back). */
    deleteEmptyCounters: (): number => deleteEmptyCounters.run().changes,
    /** Removes a tag no run carries any more. */
    deleteUnusedTag: (name: string): boolean => deleteTag.run(name).changes > 0,

    // ---- the journal ----

    /** Notes a new import (committed on its own, so a crash right after still finds it); returns its id. */
    begin(source: string, at: number): string {
      const id = randomUUID();
      insertImport.run(id, source.slice(0, 2_000), at);
      return id;
    },

    /** Notes a row the import added; call inside the transaction that adds it. */
    note(importId: string, kind: ImportedKind, key: string): void {
      note.run(importId, kind, key);
    },

    /** The import is whole: forget its notes (inside the transaction that writes its last rows). */
    finish(importId: string): void {
      deleteImport.run(importId);
    },

    /** Imports that started and never finished (cancelled, failed, or the app was killed). */
    unfinished(): string[] {
      return selectUnfinished.all();
    },

    /** Up to `limit` keys of one kind the import added (and not yet taken back). */
    noted(importId: string, kind: ImportedKind, limit: number): string[] {
      return selectNoted.all(importId, kind, limit);
    },

    /** Forgets one note (its row was taken back, or is kept because something else uses it now). */
    unnote(importId: string, kind: ImportedKind, key: string): void {
      unnote.run(importId, kind, key);
    },
  };
}

export type ImportRepo = ReturnType<typeof createImportRepo>;
