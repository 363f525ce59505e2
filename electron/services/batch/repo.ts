/**
 * The SQL of datasets and batches (migration 0013): every statement on datasets, dataset_rows,
 * batches, batch_rows, batch_runs and batch_cells lives here. JSON read back is parsed with zod.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BATCH_STATUSES, BatchScores, CELL_STATUSES, type BatchRow, type BatchStatus, type CellCounts, type CellStatus } from '../../../shared/batch';
import { DATASET_FORMATS, DatasetMapping, type DatasetFormat, type DatasetSummary } from '../../../shared/datasets';
import { ExperimentConfig } from '../../../shared/domain';
import type { Db } from '../store/db';

const Strings = z.array(z.string());
const Variables = z.array(z.object({ name: z.string(), value: z.string() }));
// made once: a zod schema built per row costs more than the row it parses
const CellsColumn = z.object({ cells: z.string() });
const BatchRowColumns = z.object({ row_index: z.number(), variables: z.string(), reference: z.string().nullable() });
const CountRow = z.object({ status: z.enum(CELL_STATUSES), n: z.number(), cost: z.number().nullable() });

const DatasetRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(DATASET_FORMATS),
  columns: z.string(),
  mapping: z.string(),
  row_count: z.number(),
  created_at: z.number(),
  updated_at: z.number(),
});

const BatchRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  experiment_id: z.string().nullable(),
  dataset_id: z.string().nullable(),
  dataset_name: z.string().nullable(),
  config: z.string(),
  mapping: z.string(),
  repeats: z.number(),
  concurrency: z.number(),
  scores: z.string(),
  row_count: z.number(),
  arm_count: z.number(),
  status: z.enum(BATCH_STATUSES),
  created_at: z.number(),
  updated_at: z.number(),
  finished_at: z.number().nullable(),
});

const CellRowSchema = z.object({
  row_index: z.number(),
  repeat: z.number(),
  arm_index: z.number(),
  status: z.enum(CELL_STATUSES),
  attempts: z.number(),
  error: z.string().nullable(),
  cost_usd: z.number().nullable(),
  total_ms: z.number().nullable(),
});

export interface BatchRecord {
  id: string;
  name: string;
  experimentId: string | null;
  datasetId: string | null;
  datasetName: string | null;
  config: ExperimentConfig;
  mapping: DatasetMapping;
  repeats: number;
  concurrency: number;
  scores: BatchScores;
  rowCount: number;
  armCount: number;
  status: BatchStatus;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface CellRecord {
  row: number;
  repeat: number;
  arm: number;
  status: CellStatus;
  attempts: number;
  error: string | null;
  costUsd: number | null;
  totalMs: number | null;
}

export interface CellKey {
  row: number;
  repeat: number;
  arm: number;
}

export interface NewBatch {
  name: string;
  experimentId: string | null;
  datasetId: string | null;
  datasetName: string | null;
  config: ExperimentConfig;
  mapping: DatasetMapping;
  repeats: number;
  concurrency: number;
  scores: BatchScores;
  rows: { variables: { name: string; value: string }[]; reference: string | null }[];
}

function datasetFrom(row: unknown): DatasetSummary {
  const r = DatasetRowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    format: r.format,
    columns: Strings.parse(JSON.parse(r.columns)),
    rowCount: r.row_count,
    mapping: DatasetMapping.parse(JSON.parse(r.mapping)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function batchFrom(row: unknown): BatchRecord {
  const r = BatchRowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    experimentId: r.experiment_id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    config: ExperimentConfig.parse(JSON.parse(r.config)),
    mapping: DatasetMapping.parse(JSON.parse(r.mapping)),
    repeats: r.repeats,
    concurrency: r.concurrency,
    scores: BatchScores.parse(JSON.parse(r.scores)),
    rowCount: r.row_count,
    armCount: r.arm_count,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

function cellFrom(row: unknown): CellRecord {
  const r = CellRowSchema.parse(row);
  return { row: r.row_index, repeat: r.repeat, arm: r.arm_index, status: r.status, attempts: r.attempts, error: r.error, costUsd: r.cost_usd, totalMs: r.total_ms };
}

export function createBatchRepo(db: Db, now: () => number = Date.now) {
  // ---------- datasets ----------
  const insertDataset = db.prepare(
    `INSERT INTO datasets (id, name, format, columns, mapping, row_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDatasetRow = db.prepare('INSERT INTO dataset_rows (dataset_id, position, cells) VALUES (?, ?, ?)');
  const selectDataset = db.prepare('SELECT * FROM datasets WHERE id = ?');
  const selectDatasets = db.prepare('SELECT * FROM datasets ORDER BY updated_at DESC, id');
  const selectDatasetRows = db.prepare('SELECT cells FROM dataset_rows WHERE dataset_id = ? ORDER BY position LIMIT ? OFFSET ?');
  const updateMapping = db.prepare('UPDATE datasets SET mapping = ?, updated_at = ? WHERE id = ?');
  const deleteDataset = db.prepare('DELETE FROM datasets WHERE id = ?');

  // ---------- batches ----------
  const insertBatch = db.prepare(
    `INSERT INTO batches (id, name, experiment_id, dataset_id, dataset_name, config, mapping, repeats, concurrency, scores, row_count, arm_count, status, created_at, updated_at)
     VALUES (@id, @name, @experimentId, @datasetId, @datasetName, @config, @mapping, @repeats, @concurrency, @scores, @rowCount, @armCount, 'running', @now, @now)`,
  );
  const insertBatchRow = db.prepare('INSERT INTO batch_rows (batch_id, row_index, variables, reference) VALUES (?, ?, ?, ?)');
  const insertCell = db.prepare(`INSERT INTO batch_cells (batch_id, row_index, repeat, arm_index, status) VALUES (?, ?, ?, ?, 'pending')`);
  const selectBatch = db.prepare('SELECT * FROM batches WHERE id = ?');
  const selectBatches = db.prepare('SELECT * FROM batches ORDER BY created_at DESC, id');
  const selectBatchRows = db.prepare('SELECT row_index, variables, reference FROM batch_rows WHERE batch_id = ? ORDER BY row_index');
  const selectCells = db.prepare('SELECT row_index, repeat, arm_index, status, attempts, error, cost_usd, total_ms FROM batch_cells WHERE batch_id = ? ORDER BY row_index, repeat, arm_index');
  const countCells = db.prepare('SELECT status, COUNT(*) AS n, SUM(COALESCE(cost_usd, 0)) AS cost FROM batch_cells WHERE batch_id = ? GROUP BY status');
  const setStatus = db.prepare('UPDATE batches SET status = ?, updated_at = ?, finished_at = ? WHERE id = ?');
  const setCell = db.prepare(
    `UPDATE batch_cells SET status = @status, attempts = @attempts, error = @error, cost_usd = @costUsd, total_ms = @totalMs, finished_at = @finishedAt
     WHERE batch_id = @batchId AND row_index = @row AND repeat = @repeat AND arm_index = @arm`,
  );
  const upsertRun = db.prepare(
    `INSERT INTO batch_runs (batch_id, row_index, repeat, run_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (batch_id, row_index, repeat) DO UPDATE SET run_id = excluded.run_id`,
  );
  const selectRuns = db.prepare('SELECT row_index, repeat, run_id, scored FROM batch_runs WHERE batch_id = ?');
  const setScored = db.prepare('UPDATE batch_runs SET scored = 1 WHERE batch_id = ? AND row_index = ? AND repeat = ?');
  const resetFailed = db.prepare(`UPDATE batch_cells SET status = 'pending', error = NULL, attempts = 0 WHERE batch_id = ? AND status IN ('failed', 'cancelled')`);
  const cancelOpen = db.prepare(`UPDATE batch_cells SET status = 'cancelled' WHERE batch_id = ? AND status IN ('pending', 'running')`);
  const interruptRunning = db.prepare(`UPDATE batches SET status = 'interrupted', updated_at = ? WHERE status = 'running'`);
  const deleteBatch = db.prepare('DELETE FROM batches WHERE id = ?');
  const RunLink = z.object({ row_index: z.number(), repeat: z.number(), run_id: z.string().nullable(), scored: z.number() });
  const selectRunLink = db.prepare('SELECT batch_id, row_index, repeat FROM batch_runs WHERE run_id = ? LIMIT 1');
  const RunOwner = z.object({ batch_id: z.string(), row_index: z.number(), repeat: z.number() });

  return {
    /** Runs `write` in one transaction: a settled cell and the cells it lets start commit once. */
    atomically<T>(write: () => T): T {
      return db.transaction(write)();
    },

    createDataset: db.transaction((input: { name: string; format: DatasetFormat; columns: string[]; rows: string[][]; mapping: DatasetMapping }): DatasetSummary => {
      const id = randomUUID();
      const at = now();
      insertDataset.run(id, input.name, input.format, JSON.stringify(input.columns), JSON.stringify(input.mapping), input.rows.length, at, at);
      input.rows.forEach((cells, position) => insertDatasetRow.run(id, position, JSON.stringify(cells)));
      return datasetFrom(selectDataset.get(id));
    }),
    dataset(id: string): DatasetSummary | undefined {
      const row = selectDataset.get(id);
      return row === undefined ? undefined : datasetFrom(row);
    },
    datasets(): DatasetSummary[] {
      return selectDatasets.all().map(datasetFrom);
    },
    datasetRows(id: string, offset = 0, limit = 1_000_000): string[][] {
      return selectDatasetRows.all(id, limit, offset).map((r) => Strings.parse(JSON.parse(CellsColumn.parse(r).cells)));
    },
    setMapping(id: string, mapping: DatasetMapping): DatasetSummary | undefined {
      updateMapping.run(JSON.stringify(mapping), now(), id);
      return this.dataset(id);
    },
    deleteDataset(id: string): boolean {
      return deleteDataset.run(id).changes > 0;
    },

    /** The batch, its rows and every cell (pending) in one transaction. */
    createBatch: db.transaction((input: NewBatch): string => {
      const id = randomUUID();
      insertBatch.run({
        id,
        name: input.name,
        experimentId: input.experimentId,
        datasetId: input.datasetId,
        datasetName: input.datasetName,
        config: JSON.stringify(input.config),
        mapping: JSON.stringify(input.mapping),
        repeats: input.repeats,
        concurrency: input.concurrency,
        scores: JSON.stringify(input.scores),
        rowCount: input.rows.length,
        armCount: input.config.arms.length,
        now: now(),
      });
      input.rows.forEach((row, index) => {
        insertBatchRow.run(id, index, JSON.stringify(row.variables), row.reference);
        for (let repeat = 0; repeat < input.repeats; repeat += 1) {
          for (let arm = 0; arm < input.config.arms.length; arm += 1) insertCell.run(id, index, repeat, arm);
        }
      });
      return id;
    }),
    batch(id: string): BatchRecord | undefined {
      const row = selectBatch.get(id);
      return row === undefined ? undefined : batchFrom(row);
    },
    batches(): BatchRecord[] {
      return selectBatches.all().map(batchFrom);
    },
    rows(batchId: string): BatchRow[] {
      return selectBatchRows.all(batchId).map((raw) => {
        const r = BatchRowColumns.parse(raw);
        return { row: r.row_index, variables: Variables.parse(JSON.parse(r.variables)), reference: r.reference };
      });
    },
    cells(batchId: string): CellRecord[] {
      return selectCells.all(batchId).map(cellFrom);
    },
    counts(batchId: string): { counts: CellCounts; costUsd: number } {
      const counts: CellCounts = { total: 0, pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
      let costUsd = 0;
      for (const raw of countCells.all(batchId)) {
        const r = CountRow.parse(raw);
        counts[r.status] = r.n;
        counts.total += r.n;
        costUsd += r.cost ?? 0;
      }
      return { counts, costUsd };
    },
    setStatus(id: string, status: BatchStatus): void {
      const finished = status === 'completed' || status === 'cancelled' || status === 'failed' ? now() : null;
      setStatus.run(status, now(), finished, id);
    },
    /** Writes several cells' states in one transaction. */
    setCells: db.transaction((batchId: string, cells: (CellKey & { status: CellStatus; attempts: number; error: string | null; costUsd: number | null; totalMs: number | null })[]) => {
      const at = now();
      for (const cell of cells) setCell.run({ batchId, ...cell, finishedAt: cell.status === 'running' || cell.status === 'pending' ? null : at });
    }),
    linkRun(batchId: string, row: number, repeat: number, runId: string): void {
      upsertRun.run(batchId, row, repeat, runId);
    },
    /** Creates a row's run and links it in one transaction: a crash never leaves a run the batch does not know. */
    createLinkedRun: db.transaction((batchId: string, row: number, repeat: number, create: () => string): string => {
      const runId = create();
      upsertRun.run(batchId, row, repeat, runId);
      return runId;
    }),
    runLinks(batchId: string): { row: number; repeat: number; runId: string | null; scored: boolean }[] {
      return selectRuns.all(batchId).map((raw) => {
        const r = RunLink.parse(raw);
        return { row: r.row_index, repeat: r.repeat, runId: r.run_id, scored: r.scored === 1 };
      });
    },
    /** The batch, row and repeat a run belongs to (a sample of a repeated comparison, a dataset row), if any. */
    runOwner(runId: string): { batchId: string; row: number; repeat: number } | undefined {
      const raw = selectRunLink.get(runId);
      if (raw === undefined) return undefined;
      const r = RunOwner.parse(raw);
      return { batchId: r.batch_id, row: r.row_index, repeat: r.repeat };
    },
    markScored(batchId: string, row: number, repeat: number): void {
      setScored.run(batchId, row, repeat);
    },
    resetFailed(batchId: string): number {
      return resetFailed.run(batchId).changes;
    },
    cancelOpen(batchId: string): number {
      return cancelOpen.run(batchId).changes;
    },
    /** At start: batches left running by a closed or killed app are interrupted (offered to resume). */
    markInterrupted(): number {
      return interruptRunning.run(now()).changes;
    },
    /** Batches a closed or killed app left unfinished, newest first: offered to resume. */
    resumable(): BatchRecord[] {
      return selectBatches.all().map(batchFrom).filter((b) => b.status === 'interrupted');
    },
    deleteBatch(id: string): boolean {
      return deleteBatch.run(id).changes > 0;
    },
  };
}

export type BatchRepo = ReturnType<typeof createBatchRepo>;
