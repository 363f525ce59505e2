import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ExperimentConfig, type ArmRequest, type ArmResult, type ArmStatus, type RunDetail, type RunStatus, type StoppedBy } from '../../../shared/domain';
import type { Db } from './db';
import { createStepRepo, type StepRepo } from './steps';

export interface NewArmOutput {
  label: string;
  technique: string;
  modelId: string;
  /** The exact request sent: resolved system prompt, messages and inference settings. */
  request: ArmRequest;
}

export interface NewRun {
  experimentId: string | null;
  /**
   * The guided lab the run came from (runs.lab_id, migration 0005). When null or omitted, the
   * 0005 trigger fills it from the saved experiment, if any.
   */
  labId?: string | null;
  title: string;
  config: ExperimentConfig;
  arms: NewArmOutput[];
}

export interface ArmProgress {
  text?: string;
  status?: ArmStatus;
  stopReason?: string | null;
  error?: unknown;
  inputTokens?: number | null;
  outputTokens?: number | null;
  ttftMs?: number | null;
  totalMs?: number | null;
  costUsd?: number | null;
  /** The request as sent, once the arm's request steps have run (a rewrite changes it). */
  request?: ArmRequest;
  stoppedBy?: StoppedBy | null;
}

interface RunRow {
  id: string;
  experiment_id: string | null;
  title: string;
  config: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
}

interface ArmRow {
  arm_index: number;
  label: string;
  technique: string;
  model_id: string;
  request: string;
  text: string;
  status: ArmStatus;
  stop_reason: string | null;
  error: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  ttft_ms: number | null;
  total_ms: number | null;
  cost_usd: number | null;
  stopped_by?: string | null;
}

/** The little a re-run of one arm reads back (runs.armToRerun). */
const RerunRow = z.object({ config: z.string(), label: z.string().nullable(), model_id: z.string().nullable(), request: z.string().nullable() });

/** What re-running one arm of a stored run needs: the run's configuration snapshot and that arm's stored row. */
export interface ArmToRerun {
  config: ExperimentConfig;
  /** null when the run has no such arm. */
  arm: { label: string; modelId: string; request: ArmRequest } | null;
}

const StoppedByRow = z.object({ stepIndex: z.number().int(), label: z.string(), reason: z.string() });

function armFromRow(row: ArmRow): ArmResult {
  return {
    index: row.arm_index,
    label: row.label,
    technique: row.technique,
    modelId: row.model_id,
    request: JSON.parse(row.request) as ArmRequest,
    text: row.text,
    status: row.status,
    stopReason: row.stop_reason,
    error: row.error === null ? null : (JSON.parse(row.error) as ArmResult['error']),
    metrics: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      ttftMs: row.ttft_ms,
      totalMs: row.total_ms,
      costUsd: row.cost_usd,
    },
  };
}

export function createRunRepo(db: Db, now: () => number = Date.now) {
  const insertRun = db.prepare(
    `INSERT INTO runs (id, experiment_id, title, config, status, started_at)
     VALUES (?, ?, ?, ?, 'running', ?)`,
  );
  const insertArm = db.prepare(
    `INSERT INTO arm_outputs (run_id, arm_index, label, technique, model_id, request, status)
     VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
  );
  // Prepared on first use: the repo also writes databases older than 0005 (migration tests),
  // which have no lab_id column, and only a run with a lab needs it.
  const prepareInsertRunWithLab = () =>
    db.prepare<[string, string | null, string, string, string, number]>(
      `INSERT INTO runs (id, experiment_id, lab_id, title, config, status, started_at)
       VALUES (?, ?, ?, ?, ?, 'running', ?)`,
    );
  let insertRunWithLab: ReturnType<typeof prepareInsertRunWithLab> | undefined;
  const finishRun = db.prepare('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?');
  // An arm left open by a crash (no orderly shutdown wrote its error) says what happened.
  const crashError = JSON.stringify({
    code: 'interrupted',
    message: 'Parallax closed unexpectedly while this arm was running; the text received so far was kept.',
  });
  const markInterrupted = db.prepare(
    `UPDATE arm_outputs SET status = 'interrupted', error = COALESCE(error, ?) WHERE status IN ('pending', 'streaming')
     AND run_id IN (SELECT id FROM runs WHERE status = 'running')`,
  );
  const markRunsInterrupted = db.prepare(
    `UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'`,
  );

  const armColumns: Record<keyof ArmProgress, string> = {
    text: 'text',
    status: 'status',
    stopReason: 'stop_reason',
    error: 'error',
    inputTokens: 'input_tokens',
    outputTokens: 'output_tokens',
    ttftMs: 'ttft_ms',
    totalMs: 'total_ms',
    costUsd: 'cost_usd',
    request: 'request',
    stoppedBy: 'stopped_by',
  };
  const JSON_KEYS = new Set<keyof ArmProgress>(['error', 'request', 'stoppedBy']);
  const armUpdates = new Map<string, ReturnType<Db['prepare']>>();
  function armUpdate(keys: (keyof ArmProgress)[]) {
    const cacheKey = keys.join(',');
    let statement = armUpdates.get(cacheKey);
    if (!statement) {
      const sets = keys.map((key) => `${armColumns[key]} = @${key}`).join(', ');
      statement = db.prepare(`UPDATE arm_outputs SET ${sets} WHERE run_id = @runId AND arm_index = @armIndex`);
      armUpdates.set(cacheKey, statement);
    }
    return statement;
  }

  // --- comparison runner (issue 4) ---
  const resetArmRow = db.prepare(
    `UPDATE arm_outputs SET text = '', status = 'pending', stop_reason = NULL, error = NULL, input_tokens = NULL,
     output_tokens = NULL, ttft_ms = NULL, total_ms = NULL, cost_usd = NULL WHERE run_id = ? AND arm_index = ?`,
  );
  // a run still running (a batch starting its next arm) is left as it is: no write at all
  const reopenRun = db.prepare(`UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ? AND status != 'running'`);
  const selectArmStatuses = db.prepare<[string], { status: ArmStatus }>(
    'SELECT status FROM arm_outputs WHERE run_id = ? ORDER BY arm_index',
  );
  const selectRun = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const selectArms = db.prepare<[string], ArmRow>('SELECT * FROM arm_outputs WHERE run_id = ? ORDER BY arm_index');
  const selectRerun = db.prepare<[number, string], unknown>(
    `SELECT r.config, a.label, a.model_id, a.request FROM runs r
     LEFT JOIN arm_outputs a ON a.run_id = r.id AND a.arm_index = ? WHERE r.id = ?`,
  );
  const restartArmRow = db.prepare(
    `UPDATE arm_outputs SET text = '', status = 'pending', stop_reason = NULL, error = NULL, input_tokens = NULL,
     output_tokens = NULL, ttft_ms = NULL, total_ms = NULL, cost_usd = NULL, request = ? WHERE run_id = ? AND arm_index = ?`,
  );

  // The last few snapshots parsed, by their stored text: a batch starts each arm of a run in turn,
  // and a run's snapshot never changes once written. Callers read the parsed config, never change it.
  const parsedConfigs = new Map<string, ExperimentConfig>();
  function parsedConfig(stored: string): ExperimentConfig {
    const cached = parsedConfigs.get(stored);
    if (cached) return cached;
    const config = ExperimentConfig.parse(JSON.parse(stored));
    parsedConfigs.set(stored, config);
    if (parsedConfigs.size > 32) parsedConfigs.delete(parsedConfigs.keys().next().value!);
    return config;
  }

  // Step traces (0009): made on first use, only when the schema has them (the migration tests
  // write databases of every older version with this repo).
  let stepRepo: StepRepo | null | undefined;
  const steps = (): StepRepo | null => {
    if (stepRepo === undefined) {
      const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'arm_steps'").get() !== undefined;
      stepRepo = has ? createStepRepo(db) : null;
    }
    return stepRepo;
  };

  function withSteps(runId: string, arms: ArmResult[], rows: ArmRow[]): ArmResult[] {
    const repoOfSteps = steps();
    if (!repoOfSteps) return arms;
    const traced = repoOfSteps.forRun(runId);
    return arms.map((arm, i) => {
      const entry = traced.get(arm.index);
      const row = rows[i]!;
      const open = arm.status === 'pending' || arm.status === 'streaming';
      const text = open ? arm.text + repoOfSteps.pendingText(runId, arm.index) : arm.text;
      let stoppedBy: StoppedBy | null = null;
      if (row.stopped_by) {
        try {
          const parsed = StoppedByRow.safeParse(JSON.parse(row.stopped_by));
          if (parsed.success) stoppedBy = parsed.data;
        } catch {
          stoppedBy = null;
        }
      }
      // only what there is: a run from before the step engine reads back exactly as it was
      return {
        ...arm,
        text,
        ...(entry && entry.steps.length > 0 ? { steps: entry.steps } : {}),
        ...(entry && entry.versions.length > 0 ? { versions: entry.versions } : {}),
        ...(stoppedBy ? { stoppedBy } : {}),
      };
    });
  }

  const repo = {
    /** The step traces, answer versions and streamed chunks (null before migration 0009). */
    get steps(): StepRepo | null {
      return steps();
    },

    /** Runs `write` in one transaction (one commit for a burst of writes; nests as a savepoint). */
    atomically<T>(write: () => T): T {
      return db.transaction(write)();
    },

    get(id: string): RunDetail | undefined {
      const row = selectRun.get(id);
      if (!row) return undefined;
      const armRows = selectArms.all(id);
      return {
        id: row.id,
        experimentId: row.experiment_id,
        title: row.title,
        config: ExperimentConfig.parse(JSON.parse(row.config)),
        status: row.status,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        arms: withSteps(id, armRows.map(armFromRow), armRows),
      };
    },

    /**
     * The run's configuration and one arm's label, model and request, without the rest of the run
     * (its other arms, steps, versions, streamed text): what re-running that arm plans from.
     */
    armToRerun(runId: string, armIndex: number): ArmToRerun | undefined {
      const found = selectRerun.get(armIndex, runId);
      if (found === undefined) return undefined;
      const row = RerunRow.parse(found);
      const config = parsedConfig(row.config);
      if (row.label === null || row.model_id === null || row.request === null) return { config, arm: null };
      return { config, arm: { label: row.label, modelId: row.model_id, request: JSON.parse(row.request) as ArmRequest } };
    },

    /** Writes the run and one pending row per arm in one transaction; returns the run id. */
    create: db.transaction((run: NewRun): string => {
      const id = randomUUID();
      if (run.labId) {
        insertRunWithLab ??= prepareInsertRunWithLab();
        insertRunWithLab.run(id, run.experimentId, run.labId, run.title, JSON.stringify(run.config), now());
      } else {
        insertRun.run(id, run.experimentId, run.title, JSON.stringify(run.config), now());
      }
      run.arms.forEach((arm, index) =>
        insertArm.run(id, index, arm.label, arm.technique, arm.modelId, JSON.stringify(arm.request)),
      );
      return id;
    }),

    updateArm(runId: string, armIndex: number, progress: ArmProgress): void {
      const keys = (Object.keys(armColumns) as (keyof ArmProgress)[]).filter((key) => progress[key] !== undefined);
      if (keys.length === 0) return;
      const values: Record<string, unknown> = { runId, armIndex };
      for (const key of keys) {
        values[key] = JSON_KEYS.has(key) && progress[key] !== null ? JSON.stringify(progress[key]) : progress[key];
      }
      armUpdate(keys).run(values);
    },

    /** Writes several arms' progress in one transaction (the runner's periodic flush). */
    updateArms: db.transaction((updates: { runId: string; armIndex: number; progress: ArmProgress }[]): void => {
      for (const update of updates) repo.updateArm(update.runId, update.armIndex, update.progress);
    }),

    /** Clears one arm's outcome and marks its run running again, before that arm is re-run. */
    resetArm: db.transaction((runId: string, armIndex: number): boolean => {
      const changed = resetArmRow.run(runId, armIndex).changes > 0;
      if (changed) reopenRun.run(runId);
      steps()?.clearArm(runId, armIndex);
      return changed;
    }),

    /**
     * resetArm, and the request the arm starts from, in one transaction with fewer writes (the
     * runner's re-run of one arm, and every cell of a batch).
     */
    restartArm: db.transaction((runId: string, armIndex: number, request: ArmRequest): boolean => {
      const changed = restartArmRow.run(JSON.stringify(request), runId, armIndex).changes > 0;
      if (changed) reopenRun.run(runId);
      steps()?.clearArm(runId, armIndex);
      return changed;
    }),

    armStatuses(runId: string): ArmStatus[] {
      return selectArmStatuses.all(runId).map((row) => row.status);
    },

    finish(runId: string, status: Exclude<RunStatus, 'running'>): void {
      finishRun.run(status, now(), runId);
    },

    /** At start-up: whatever was still running when the app last stopped is marked interrupted. */
    markInterrupted: db.transaction((): number => {
      steps()?.markInterrupted();
      markInterrupted.run(crashError);
      return markRunsInterrupted.run(now()).changes;
    }),
  };
  return repo;
}

export type RunRepo = ReturnType<typeof createRunRepo>;
