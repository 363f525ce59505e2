/**
 * Batches (issue 13): an experiment's arms × a dataset's rows × N repeats, scheduled through the
 * comparison runner (arms.ts), with the chosen scores.
 *
 * - One concurrency limit per batch, shared across arms (default 4). It is adaptive: a throttled
 *   call halves it (at least 1) and the cell goes back in the queue after a backoff; every `limit`
 *   successes in a row raise it by one again, up to the chosen limit. Throttling, timeouts and
 *   service errors are retried up to `maxAttempts` per cell; only what still fails is failed.
 * - Persistence: each (row, repeat) is one normal run in History, created and linked in one
 *   transaction when its first cell starts; each cell's state is written the moment it settles.
 *   A batch left running by a closed or killed app is `interrupted` at the next start and offered
 *   to resume: a cell whose run arm finished is taken as done (never run twice), the others are
 *   queued again.
 * - Events: `batch:progress` and `batch:cells` (the cells settled since the last event), at most
 *   every `progressIntervalMs`; `batch:delta` (a cell's streamed text, the runner's own paced
 *   deltas) only for a batch a window watches (`watch`: Compare's repeats), none otherwise.
 */
import { writeFile } from 'node:fs/promises';
import { DEFAULT_CONCURRENCY, MAX_BATCH_CELLS, type BatchCell, type BatchDetail, type BatchRunOwner, type BatchRow, type BatchProgress, type BatchScores, type BatchStats, type BatchSummary, type CellScore, type CellStatus, variablesUsed } from '../../../shared/batch';
import { checkRows, rowReference, rowVariables, type DatasetMapping } from '../../../shared/datasets';
import type { ExperimentConfig, RunDetail, Variable } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { RunScores } from '../../../shared/scores/types';
import type { PayloadOf, EventName } from '../../../shared/ipc';
import type { ArmOutcome, BatchArmRunner } from './arms';
import type { BatchRecord, BatchRepo, CellKey, CellRecord } from './repo';
import { computeStats } from './stats';
import { batchReportHtml } from './report';

export type BatchSink = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;

export interface BatchScoring {
  run(runId: string, request: { metrics?: readonly string[]; judges?: readonly import('../../../shared/scores/judges').JudgeId[]; arms?: readonly number[]; inputs?: { reference?: string } }): Promise<RunScores>;
  get(runId: string): RunScores;
  isScoring(runId: string): boolean;
}

export interface BatchServiceDeps {
  repo: BatchRepo;
  arms: BatchArmRunner;
  scores: BatchScoring;
  getRun(runId: string): RunDetail | undefined;
  clock?: () => number;
  /** Tries per cell for throttling / timeouts / service errors (default 8). */
  maxAttempts?: number;
  /** First backoff after a throttled call (doubles per attempt, jittered; default 400 ms). */
  backoffMs?: number;
  progressIntervalMs?: number;
  onError?(error: unknown): void;
}

export interface StartBatch {
  name: string;
  experimentId: string | null;
  config: ExperimentConfig;
  datasetId: string | null;
  mapping: DatasetMapping;
  repeats: number;
  concurrency: number;
  scores: BatchScores;
}

const RETRYABLE = new Set(['throttled', 'timeout', 'service']);
const PREVIEW_CHARS = 240;

interface Active {
  record: BatchRecord;
  rows: Map<number, BatchRow>;
  sink: BatchSink | null;
  cells: Map<string, CellRecord>;
  queue: CellKey[];
  running: Map<string, CellKey>;
  waiting: number;
  runIds: Map<string, string>;
  scored: Set<string>;
  scoring: Set<string>;
  /** Scores of runs scored since the last event, by run key (sent without reading them back). */
  freshScores: Map<string, Map<number, CellScore[]>>;
  previews: Map<string, string>;
  dirty: Set<string>;
  max: number;
  limit: number;
  streak: number;
  throttled: number;
  paused: boolean;
  cancelled: boolean;
  finishTimes: number[];
  timer: ReturnType<typeof setTimeout> | null;
  lastEmit: number;
  done: Promise<void>;
  resolveDone(): void;
  timers: Set<ReturnType<typeof setTimeout>>;
}

const cellKey = (k: CellKey) => `${k.row}:${k.repeat}:${k.arm}`;
const runKey = (row: number, repeat: number) => `${row}:${repeat}`;

export { variablesUsed };

export function createBatchService(deps: BatchServiceDeps) {
  const { repo, arms } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const maxAttempts = deps.maxAttempts ?? 8;
  const backoffMs = deps.backoffMs ?? 400;
  const progressInterval = deps.progressIntervalMs ?? 250;
  const active = new Map<string, Active>();
  /** Batches a window shows as they stream (batches:watch), with how many views watch each. */
  const watched = new Map<string, number>();
  let closed = false;

  const report = (error: unknown) => {
    if (deps.onError) deps.onError(error);
    else console.error('[parallax] batch:', error);
  };

  // ---------- preparing ----------

  function rowsFor(input: StartBatch): { rows: { variables: Variable[]; reference: string | null }[]; datasetName: string | null; check: ReturnType<typeof checkRows> } {
    const used = variablesUsed(input.config);
    const defined = new Map(input.config.variables.map((v) => [v.name, v.value]));
    if (input.datasetId === null) {
      const missing = used.filter((name) => !defined.has(name));
      const issues = missing.map((name) => ({ row: null, column: null, message: `\${${name}} has no value. Define it in the comparison, or run the batch over a dataset.` }));
      return { rows: [{ variables: input.config.variables, reference: null }], datasetName: null, check: { issues, total: issues.length } };
    }
    const dataset = repo.dataset(input.datasetId);
    if (!dataset) throw new AppError('not_found', 'That dataset is no longer saved. Import it again.');
    const values = repo.datasetRows(dataset.id);
    // a variable fills from its column when mapped; otherwise from the comparison's own value, the same for every row
    const needed = used.filter((name) => input.mapping.variables[name] !== undefined || !defined.has(name));
    const check = checkRows(dataset.columns, values, input.mapping, needed);
    const rows = values.map((cells) => {
      const mapped = rowVariables(dataset.columns, cells, input.mapping);
      const merged = new Map(defined);
      for (const v of mapped) merged.set(v.name, v.value);
      return { variables: [...merged].map(([name, value]) => ({ name, value })), reference: rowReference(dataset.columns, cells, input.mapping) };
    });
    return { rows, datasetName: dataset.name, check };
  }

  // ---------- views ----------

  function summaryOf(record: BatchRecord): BatchSummary {
    const { counts, costUsd } = repo.counts(record.id);
    return {
      id: record.id,
      name: record.name,
      experimentId: record.experimentId,
      datasetId: record.datasetId,
      datasetName: record.datasetName,
      armLabels: record.config.arms.map((a) => a.label),
      rowCount: record.rowCount,
      repeats: record.repeats,
      concurrency: record.concurrency,
      scores: record.scores,
      status: active.get(record.id)?.record.status ?? record.status,
      counts,
      costUsd,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      finishedAt: record.finishedAt,
    };
  }

  function scoresByArm(runScores: RunScores | null): Map<number, CellScore[]> {
    const byArm = new Map<number, CellScore[]>();
    for (const score of runScores?.scores ?? []) {
      if (score.otherArmIndex !== null && score.scorer !== 'pairwise') continue;
      const list = byArm.get(score.armIndex) ?? [];
      list.push({ scorer: score.scorer, value: score.value, passed: score.passed });
      byArm.set(score.armIndex, list);
    }
    return byArm;
  }

  function cellView(cell: CellRecord, runId: string | null, preview: string, scores: CellScore[]): BatchCell {
    return { ...cell, runId, preview, scores };
  }

  function requireBatch(id: string): BatchRecord {
    const record = repo.batch(id);
    if (!record) throw new AppError('not_found', 'That batch is no longer saved. It may have been deleted.');
    return record;
  }

  // ---------- events ----------

  function progressOf(state: Active): BatchProgress {
    const { counts, costUsd } = repo.counts(state.record.id);
    const times = state.finishTimes;
    let perMinute: number | null = null;
    let etaMs: number | null = null;
    if (times.length >= 2) {
      const span = times[times.length - 1]! - times[0]!;
      if (span > 0) {
        perMinute = ((times.length - 1) / span) * 60_000;
        const remaining = counts.pending + counts.running;
        etaMs = remaining === 0 ? 0 : (remaining / perMinute) * 60_000;
      }
    }
    return { batchId: state.record.id, status: state.record.status, counts, perMinute, costUsd, etaMs, concurrency: state.limit, throttled: state.throttled };
  }

  function flushEvents(state: Active): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.lastEmit = clock();
    if (!state.sink || closed) return;
    if (state.dirty.size > 0) {
      const runScoreCache = new Map<string, Map<number, CellScore[]>>();
      const cells: BatchCell[] = [];
      for (const k of state.dirty) {
        const cell = state.cells.get(k);
        if (!cell) continue;
        const runId = state.runIds.get(runKey(cell.row, cell.repeat)) ?? null;
        let scores: CellScore[] = [];
        if (runId && state.scored.has(runKey(cell.row, cell.repeat))) {
          let byArm = state.freshScores.get(runKey(cell.row, cell.repeat)) ?? runScoreCache.get(runId);
          if (!byArm) {
            byArm = scoresByArm(safeScores(runId));
            runScoreCache.set(runId, byArm);
          }
          scores = byArm.get(cell.arm) ?? [];
        }
        cells.push(cellView(cell, runId, state.previews.get(k) ?? '', scores));
      }
      state.dirty.clear();
      state.freshScores.clear();
      state.sink('batch:cells', { batchId: state.record.id, cells });
    }
    state.sink('batch:progress', progressOf(state));
  }

  function queueEvents(state: Active): void {
    if (state.timer) return;
    const wait = progressInterval - (clock() - state.lastEmit);
    if (wait <= 0) flushEvents(state);
    else state.timer = setTimeout(() => flushEvents(state), wait);
  }

  function safeScores(runId: string): RunScores | null {
    try {
      return deps.scores.get(runId);
    } catch {
      return null;
    }
  }

  // ---------- scheduling ----------

  function persist(state: Active, cell: CellRecord): void {
    state.cells.set(cellKey(cell), cell);
    state.dirty.add(cellKey(cell));
    try {
      repo.setCells(state.record.id, [cell]);
    } catch (error) {
      report(error);
    }
  }

  function setBatchStatus(state: Active, status: BatchRecord['status']): void {
    state.record = { ...state.record, status };
    repo.setStatus(state.record.id, status);
  }

  function ensureRun(state: Active, row: number, repeat: number): string {
    const k = runKey(row, repeat);
    const existing = state.runIds.get(k);
    if (existing) return existing;
    const stored = state.rows.get(row);
    const variables = stored?.variables ?? state.record.config.variables;
    const config: ExperimentConfig = { ...state.record.config, variables };
    // a repeated comparison (no dataset) names its runs as samples; a dataset batch by row and repeat
    const title =
      state.record.datasetId === null && state.record.rowCount === 1
        ? `${state.record.name} · sample ${repeat + 1} of ${state.record.repeats}`
        : `${state.record.name} · row ${row + 1}${state.record.repeats > 1 ? `, repeat ${repeat + 1}` : ''}`;
    const runId = repo.createLinkedRun(state.record.id, row, repeat, () => arms.createRun({ experimentId: state.record.experimentId, title, config }));
    state.runIds.set(k, runId);
    return runId;
  }

  function launch(state: Active, key: CellKey): void {
    const k = cellKey(key);
    const cell = state.cells.get(k)!;
    let runId: string;
    try {
      runId = ensureRun(state, key.row, key.repeat);
    } catch (error) {
      report(error);
      persist(state, { ...cell, status: 'failed', error: error instanceof Error ? error.message : String(error) });
      return;
    }
    state.running.set(k, key);
    persist(state, { ...cell, status: 'running', attempts: cell.attempts + 1, error: null });
    try {
      // settles synchronously, inside the runner's last write of the arm (one commit for both)
      arms.startArm(runId, key.arm, {
        onText: (text, at) => streamText(state, runId, key.arm, text, at),
        onSettled: (outcome) => {
          try {
            settle(state, key, outcome);
          } catch (error) {
            report(error);
          }
        },
      });
    } catch (error) {
      // not started: settled as failed on the next tick (a run of such failures does not recurse)
      const outcome: ArmOutcome = { status: 'failed', error: { code: 'internal', message: error instanceof Error ? error.message : String(error) }, costUsd: null, totalMs: null, text: '' };
      queueMicrotask(() => {
        try {
          settle(state, key, outcome);
        } catch (caught) {
          report(caught);
        }
      });
    }
  }

  /** A cell's streamed text goes to the window only while one watches the batch: others pay one map lookup. */
  function streamText(state: Active, runId: string, armIndex: number, text: string, at: number): void {
    if (!state.sink || closed || !watched.has(state.record.id)) return;
    state.sink('batch:delta', { batchId: state.record.id, runId, armIndex, at, text });
  }

  /** Fills every free slot from the queue at once. */
  function fill(state: Active): void {
    if (closed || state.paused || state.cancelled) return;
    while (state.running.size < state.limit && state.queue.length > 0) {
      launch(state, state.queue.shift()!);
    }
  }

  function pump(state: Active): void {
    fill(state);
    maybeFinish(state);
  }

  /**
   * A cell's outcome, and the cells its slot lets start, written in one transaction. A freed slot
   * is refilled at once, before anything else this cell's end sets off (its run's scoring).
   */
  function settle(state: Active, key: CellKey, outcome: ArmOutcome): void {
    if (closed) return;
    repo.atomically(() => settleNow(state, key, outcome));
  }

  function settleNow(state: Active, key: CellKey, outcome: ArmOutcome): void {
    const k = cellKey(key);
    let done = false;
    state.running.delete(k);
    const cell = state.cells.get(k)!;
    const base = { ...cell, costUsd: outcome.costUsd, totalMs: outcome.totalMs };
    if (outcome.status === 'completed') {
      state.previews.set(k, outcome.text.slice(0, PREVIEW_CHARS));
      persist(state, { ...base, status: 'completed', error: null });
      state.finishTimes.push(clock());
      if (state.finishTimes.length > 100) state.finishTimes.shift();
      state.streak += 1;
      if (state.streak >= state.limit && state.limit < state.max) {
        state.limit += 1;
        state.streak = 0;
      }
      done = true;
    } else if (outcome.status === 'failed' && RETRYABLE.has(outcome.error?.kind ?? '') && cell.attempts < maxAttempts && !state.cancelled) {
      if (outcome.error?.kind === 'throttled') {
        state.throttled += 1;
        state.limit = Math.max(1, Math.floor(state.limit / 2));
        state.streak = 0;
      }
      persist(state, { ...base, status: 'pending', error: outcome.error?.message ?? null });
      state.waiting += 1;
      const delay = backoffMs * 2 ** Math.min(cell.attempts - 1, 5) * (0.75 + Math.random() * 0.5);
      const timer = setTimeout(() => {
        state.timers.delete(timer);
        state.waiting -= 1;
        // to the back of the queue: a run of throttled answers spreads over many cells, not one
        if (!state.cancelled) state.queue.push(key);
        pump(state);
      }, delay);
      state.timers.add(timer);
    } else if (outcome.status === 'failed') {
      persist(state, { ...base, status: 'failed', error: outcome.error?.message ?? 'This cell failed.' });
      done = true;
    } else if (state.cancelled || outcome.status === 'cancelled') {
      persist(state, { ...base, status: 'cancelled', error: null });
    } else if (cell.attempts < maxAttempts) {
      // interrupted (the runner is closing): run it again, now or when the batch resumes
      persist(state, { ...base, status: 'pending', error: null });
      state.queue.push(key);
    } else {
      persist(state, { ...base, status: 'failed', error: outcome.error?.message ?? 'This cell was interrupted too many times.' });
      done = true;
    }
    // the freed slot starts the next cell first; the settled run's scoring comes after
    fill(state);
    if (done) afterCell(state, key);
    queueEvents(state);
    maybeFinish(state);
  }

  /** When every arm of a cell's run has settled for good, the run is scored with the batch's scores. */
  function afterCell(state: Active, key: CellKey): void {
    const rk = runKey(key.row, key.repeat);
    if (state.scored.has(rk) || state.scoring.has(rk)) return;
    const siblings = state.record.config.arms.map((_, arm) => state.cells.get(cellKey({ row: key.row, repeat: key.repeat, arm }))!);
    if (!siblings.every((c) => c.status === 'completed' || c.status === 'failed')) return;
    const completedArms = siblings.filter((c) => c.status === 'completed').map((c) => c.arm);
    const { metrics, judges } = state.record.scores;
    const runId = state.runIds.get(rk);
    if (!runId || completedArms.length === 0 || (metrics.length === 0 && judges.length === 0)) {
      state.scored.add(rk);
      if (runId) repo.markScored(state.record.id, key.row, key.repeat);
      return;
    }
    state.scoring.add(rk);
    // after this turn's new calls are on their way: scoring reads the run back and writes scores
    setImmediate(() => void scoreRun(state, key.row, key.repeat, runId, completedArms));
  }

  async function scoreRun(state: Active, row: number, repeat: number, runId: string, armIndexes: number[]): Promise<void> {
    const rk = runKey(row, repeat);
    try {
      // the settings' automatic scoring may be on this run already: wait for it
      for (let i = 0; i < 600 && deps.scores.isScoring(runId) && !closed; i += 1) await new Promise((r) => setTimeout(r, 50));
      if (closed) return;
      const reference = state.rows.get(row)?.reference ?? null;
      const scored = await deps.scores.run(runId, { metrics: state.record.scores.metrics, judges: state.record.scores.judges, arms: armIndexes, ...(reference !== null ? { inputs: { reference } } : {}) });
      if (closed) return;
      repo.markScored(state.record.id, row, repeat);
      state.scored.add(rk);
      state.freshScores.set(rk, scoresByArm(scored));
      for (const arm of armIndexes) state.dirty.add(cellKey({ row, repeat, arm }));
    } catch (error) {
      if (!closed) report(error);
    } finally {
      state.scoring.delete(rk);
      if (!closed) {
        queueEvents(state);
        maybeFinish(state);
      }
    }
  }

  function maybeFinish(state: Active): void {
    if (closed) return;
    if (state.running.size > 0 || state.scoring.size > 0) return;
    if (state.cancelled) {
      if (state.record.status !== 'cancelled') setBatchStatus(state, 'cancelled');
      return end(state);
    }
    if (state.paused) {
      flushEvents(state);
      return;
    }
    if (state.queue.length > 0 || state.waiting > 0) return;
    const cells = [...state.cells.values()];
    const status = cells.every((c) => c.status === 'failed') ? 'failed' : 'completed';
    setBatchStatus(state, status);
    end(state);
  }

  function end(state: Active): void {
    if (active.get(state.record.id) !== state) return; // ended already
    flushEvents(state);
    // a view that forgot to stop watching (a reloaded window) costs nothing past the batch's end
    watched.delete(state.record.id);
    for (const timer of state.timers) clearTimeout(timer);
    active.delete(state.record.id);
    state.resolveDone();
  }

  /**
   * Loads a stored batch into memory: reconciles cells left running with their run's arm, queues
   * what is not done. A batch just written (`fresh`: its rows) is not read back: every cell is
   * pending, in row, repeat, arm order, and no run exists yet.
   */
  function activate(record: BatchRecord, sink: BatchSink | null, fresh?: { rows: BatchRow[] }): Active {
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const state: Active = {
      record,
      rows: new Map((fresh?.rows ?? repo.rows(record.id)).map((r) => [r.row, r])),
      sink,
      cells: new Map(),
      queue: [],
      running: new Map(),
      waiting: 0,
      runIds: new Map(),
      scored: new Set(),
      scoring: new Set(),
      freshScores: new Map(),
      previews: new Map(),
      dirty: new Set(),
      max: record.concurrency,
      limit: record.concurrency,
      streak: 0,
      throttled: 0,
      paused: false,
      cancelled: false,
      finishTimes: [],
      timer: null,
      lastEmit: -Infinity,
      done,
      resolveDone,
      timers: new Set(),
    };
    if (fresh) {
      for (let row = 0; row < record.rowCount; row += 1) {
        for (let repeat = 0; repeat < record.repeats; repeat += 1) {
          for (let arm = 0; arm < record.config.arms.length; arm += 1) {
            const cell: CellRecord = { row, repeat, arm, status: 'pending', attempts: 0, error: null, costUsd: null, totalMs: null };
            state.cells.set(cellKey(cell), cell);
            state.queue.push({ row, repeat, arm });
          }
        }
      }
      active.set(record.id, state);
      return state;
    }
    for (const link of repo.runLinks(record.id)) {
      if (link.runId) state.runIds.set(runKey(link.row, link.repeat), link.runId);
      if (link.scored) state.scored.add(runKey(link.row, link.repeat));
    }
    const fixed: CellRecord[] = [];
    for (const cell of repo.cells(record.id)) {
      let current = cell;
      if (cell.status === 'running') {
        const runId = state.runIds.get(runKey(cell.row, cell.repeat));
        const arm = runId ? arms.armState(runId, cell.arm) : null;
        if (arm && arm.status === 'completed' && 'text' in arm) {
          current = { ...cell, status: 'completed', error: null, costUsd: arm.costUsd, totalMs: arm.totalMs };
        } else {
          current = { ...cell, status: 'pending' };
        }
        fixed.push(current);
      }
      state.cells.set(cellKey(current), current);
      if (current.status === 'pending') state.queue.push({ row: current.row, repeat: current.repeat, arm: current.arm });
    }
    if (fixed.length > 0) repo.setCells(record.id, fixed);
    active.set(record.id, state);
    return state;
  }

  /** Runs that settled before a crash but were never scored are scored now. */
  function scoreLeftovers(state: Active): void {
    const seen = new Set<string>();
    for (const cell of state.cells.values()) {
      const rk = runKey(cell.row, cell.repeat);
      if (seen.has(rk) || state.scored.has(rk)) continue;
      seen.add(rk);
      afterCell(state, cell);
    }
  }

  function begin(state: Active): void {
    setBatchStatus(state, 'running');
    scoreLeftovers(state);
    queueEvents(state);
    pump(state);
  }

  return {
    check(input: StartBatch) {
      const { rows, check } = rowsFor(input);
      return { ...check, cells: rows.length * input.repeats * input.config.arms.length };
    },

    start(input: StartBatch, sink: BatchSink): BatchSummary {
      if (closed) throw new AppError('unavailable', 'Parallax is shutting down; the batch was not started.');
      const { rows, datasetName, check } = rowsFor(input);
      if (check.total > 0) {
        const first = check.issues.slice(0, 3).map((i) => i.message).join(' ');
        throw new AppError('bad_input', `Before running, fix ${check.total} problem${check.total === 1 ? '' : 's'} in the dataset or its mapping. ${first}`);
      }
      const cells = rows.length * input.repeats * input.config.arms.length;
      if (cells > MAX_BATCH_CELLS) throw new AppError('bad_input', `This batch would run ${cells.toLocaleString('en')} cells; at most ${MAX_BATCH_CELLS.toLocaleString('en')}. Use fewer rows or repeats.`);
      const id = repo.createBatch({ ...input, concurrency: input.concurrency || DEFAULT_CONCURRENCY, datasetName, rows });
      const state = activate(requireBatch(id), sink, { rows: rows.map((r, row) => ({ row, variables: r.variables, reference: r.reference })) });
      begin(state);
      return summaryOf(state.record);
    },

    list(): BatchSummary[] {
      return repo.batches().map(summaryOf);
    },

    resumable(): BatchSummary[] {
      return repo.resumable().map(summaryOf);
    },

    get(id: string): BatchDetail {
      const record = requireBatch(id);
      const state = active.get(id);
      const links = new Map(repo.runLinks(id).map((l) => [runKey(l.row, l.repeat), l.runId]));
      const runCache = new Map<string, { run: RunDetail | undefined; scores: Map<number, CellScore[]> }>();
      const cells = (state ? [...state.cells.values()] : repo.cells(id)).map((cell) => {
        const runId = links.get(runKey(cell.row, cell.repeat)) ?? null;
        let entry = runId ? runCache.get(runId) : undefined;
        if (runId && !entry) {
          entry = { run: deps.getRun(runId), scores: scoresByArm(safeScores(runId)) };
          runCache.set(runId, entry);
        }
        const text = entry?.run?.arms[cell.arm]?.text ?? '';
        return cellView(cell, runId, text.slice(0, PREVIEW_CHARS), entry?.scores.get(cell.arm) ?? []);
      });
      return { ...summaryOf(record), rows: repo.rows(id), cells, config: record.config, mappedVariables: Object.keys(record.mapping.variables) };
    },

    /** The batch a run belongs to, and which row and repeat it is (History: "sample 2 of 5"). */
    forRun(runId: string): BatchRunOwner | null {
      const owner = repo.runOwner(runId);
      if (!owner) return null;
      const record = repo.batch(owner.batchId);
      if (!record) return null;
      return { batch: summaryOf(record), row: owner.row, repeat: owner.repeat };
    },

    stats(id: string): BatchStats {
      const detail = this.get(id);
      return computeStats(detail);
    },

    /** The batch's HTML report (report.ts). */
    reportHtml(id: string): string {
      const detail = this.get(id);
      const runs = new Map<string, RunDetail>();
      for (const cell of detail.cells) {
        if (cell.runId && !runs.has(cell.runId)) {
          const run = deps.getRun(cell.runId);
          if (run) runs.set(cell.runId, run);
        }
      }
      return batchReportHtml(detail, computeStats(detail), runs);
    },

    async writeReport(id: string, path: string): Promise<void> {
      await writeFile(path, this.reportHtml(id), 'utf8');
    },

    /** A view showing the batch's samples starts (or stops) hearing their text as it streams. */
    watch(id: string, on: boolean): boolean {
      const count = (watched.get(id) ?? 0) + (on ? 1 : -1);
      if (count > 0) watched.set(id, count);
      else watched.delete(id);
      return count > 0;
    },

    pause(id: string): BatchSummary {
      const state = active.get(id);
      if (!state) return summaryOf(requireBatch(id));
      state.paused = true;
      setBatchStatus(state, 'paused');
      queueEvents(state);
      return summaryOf(state.record);
    },

    resume(id: string, sink: BatchSink): BatchSummary {
      if (closed) throw new AppError('unavailable', 'Parallax is shutting down.');
      const existing = active.get(id);
      if (existing) {
        existing.sink = sink;
        if (existing.cancelled) throw new AppError('conflict', 'This batch is being cancelled.');
        existing.paused = false;
        begin(existing);
        return summaryOf(existing.record);
      }
      const record = requireBatch(id);
      if (record.status === 'completed' || record.status === 'cancelled' || record.status === 'failed') {
        const pending = repo.counts(id).counts.pending;
        if (pending === 0) return summaryOf(record);
      }
      begin(activate(record, sink));
      return summaryOf(requireBatch(id));
    },

    cancel(id: string): BatchSummary {
      const state = active.get(id);
      if (!state) {
        const record = requireBatch(id);
        repo.cancelOpen(id);
        if (record.status !== 'completed' && record.status !== 'failed') repo.setStatus(id, 'cancelled');
        return summaryOf(requireBatch(id));
      }
      state.cancelled = true;
      state.queue = [];
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      state.waiting = 0;
      // what was not started is cancelled; what finished stays
      const open = [...state.cells.values()].filter((c) => c.status === 'pending');
      for (const cell of open) persist(state, { ...cell, status: 'cancelled' });
      setBatchStatus(state, 'cancelled');
      // the running cells settle (cancelled) as their arms stop, synchronously
      const runIds = new Set([...state.running.values()].map((k) => state.runIds.get(runKey(k.row, k.repeat))!));
      for (const runId of runIds) arms.cancel(runId);
      maybeFinish(state);
      return summaryOf(state.record);
    },

    retryFailed(id: string, sink: BatchSink): BatchSummary {
      if (active.has(id)) throw new AppError('conflict', 'This batch is still running. Retry its failed cells once it has finished, or pause it first.');
      const reset = repo.resetFailed(id);
      if (reset === 0) return summaryOf(requireBatch(id));
      return this.resume(id, sink);
    },

    delete(id: string): boolean {
      if (active.has(id)) throw new AppError('conflict', 'Cancel this batch before deleting it.');
      return repo.deleteBatch(id);
    },

    isActive(id: string): boolean {
      return active.has(id);
    },

    /** Resolves when the batch has finished, been cancelled, or paused with nothing in flight (tests, benches). */
    async whenSettled(id: string): Promise<void> {
      await active.get(id)?.done;
    },

    /** At close: nothing more is written; batches still running are marked interrupted. */
    shutdown(): void {
      if (closed) return;
      for (const state of active.values()) {
        if (state.timer) clearTimeout(state.timer);
        for (const timer of state.timers) clearTimeout(timer);
        try {
          if (state.record.status === 'running') repo.setStatus(state.record.id, 'interrupted');
        } catch (error) {
          report(error);
        }
      }
      closed = true;
      active.clear();
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;
export type { CellStatus };
