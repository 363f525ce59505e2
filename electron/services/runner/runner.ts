/**
 * The comparison runner: starts every arm of a run at once, streams each through the Bedrock
 * service, pushes coalesced events to the renderer and writes the run to SQLite as it goes.
 *
 * Persistence: the run and one pending row per arm are written before the first request. Text
 * is flushed at most every `saveIntervalMs` (all dirty arms of all runs in one transaction) and
 * at every state change; the final state of an arm is written the moment it settles. Stop
 * (cancel) settles the arms at once, keeping their partial text, and aborts the HTTP streams.
 * `shutdown()` does the same synchronously for every open run and marks it interrupted.
 *
 * Events: `run:delta` is throttled per arm (leading and trailing edge, `deltaIntervalMs`), so a
 * fast model sends at most ~60 events a second per arm and a slow one pays no added latency.
 */
import type { ArmMetrics, ArmRequest, ArmStatus, ExperimentConfig, RunDetail, RunStatus } from '../../../shared/domain';
import { AppError, type AppErrorShape } from '../../../shared/errors';
import { armTechniqueKey, checkConfig, resolveArms, toArmRequest } from '../../../shared/arms/resolve';
import type { Technique } from '../../../shared/techniques';
import type { ArmProgress, RunRepo } from '../store/runs';
import type { RunSink, StreamingModel } from './types';

export interface RunnerOptions {
  bedrock: StreamingModel;
  runs: RunRepo;
  /** The technique library (shipped + the user's) technique steps resolve against. */
  techniques?: () => readonly Technique[];
  estimateCost?(modelId: string, inputTokens: number, outputTokens: number): number | null;
  /** Monotonic clock for timings (ms). */
  clock?: () => number;
  /** A number, or a function read at each throttling decision (backpressure: streaming/pace.ts). */
  deltaIntervalMs?: number | (() => number);
  saveIntervalMs?: number;
  /** Called with every unexpected internal failure (logging). */
  onInternalError?(error: unknown): void;
  /** Called once a run has settled (scores: automatic scoring, issue 5). */
  onRunFinished?(runId: string, status: Exclude<RunStatus, 'running'>): void;
}

export interface StartRun {
  experimentId: string | null;
  /** The guided lab the comparison came from; null/omitted = from the experiment's lab, if any. */
  labId?: string | null;
  title: string;
  config: ExperimentConfig;
}

interface ArmTask {
  run: ActiveRun;
  index: number;
  modelId: string;
  request: ArmRequest;
  controller: AbortController;
  text: string;
  unsent: string;
  dirty: boolean;
  settled: boolean;
  startedAt: number;
  ttftMs: number | null;
  totalMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  stopReason: string | null;
  lastDeltaAt: number;
  deltaTimer: ReturnType<typeof setTimeout> | null;
  done: Promise<void>;
}

interface ActiveRun {
  id: string;
  sink: RunSink;
  tasks: Map<number, ArmTask>;
}

/** A run's status from its arms: any stopped → cancelled, else any failed → failed, and so on. */
export function runStatusOf(arms: readonly ArmStatus[]): Exclude<RunStatus, 'running'> {
  if (arms.includes('cancelled')) return 'cancelled';
  if (arms.includes('failed')) return 'failed';
  if (arms.includes('interrupted') || arms.includes('pending') || arms.includes('streaming')) return 'interrupted';
  return 'completed';
}

function errorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  const shape = (error as { toShape?: () => AppErrorShape } | null)?.toShape?.();
  if (shape && typeof shape.message === 'string') return shape;
  return {
    code: 'internal',
    message: 'This arm stopped because of an unexpected error inside Parallax. Try re-running it.',
    details: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

function isCancellation(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return code === 'cancelled' || name === 'AbortError';
}

export function createRunner(options: RunnerOptions) {
  const { bedrock, runs } = options;
  const clock = options.clock ?? (() => performance.now());
  const deltaOption = options.deltaIntervalMs ?? 16;
  const deltaInterval = typeof deltaOption === 'function' ? deltaOption : () => deltaOption;
  const saveInterval = options.saveIntervalMs ?? 100;
  const active = new Map<string, ActiveRun>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let lastSaveAt = -Infinity;
  let closed = false;

  const report = (error: unknown) => {
    if (options.onInternalError) options.onInternalError(error);
    else console.error('[parallax] runner:', error);
  };

  function metricsOf(task: ArmTask): ArmMetrics {
    const costUsd =
      task.inputTokens !== null && task.outputTokens !== null && options.estimateCost
        ? options.estimateCost(task.modelId, task.inputTokens, task.outputTokens)
        : null;
    return { inputTokens: task.inputTokens, outputTokens: task.outputTokens, ttftMs: task.ttftMs, totalMs: task.totalMs, costUsd };
  }

  function progressOf(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): ArmProgress {
    const metrics = metricsOf(task);
    return { text: task.text, status, stopReason: task.stopReason, error, ...metrics };
  }

  // ---------- delta events ----------

  function flushDelta(task: ArmTask): void {
    if (task.deltaTimer) clearTimeout(task.deltaTimer);
    task.deltaTimer = null;
    task.lastDeltaAt = clock();
    if (task.unsent === '') return;
    const text = task.unsent;
    task.unsent = '';
    task.run.sink('run:delta', { runId: task.run.id, armIndex: task.index, text });
  }

  /** Throttled per arm: the first chunk after a quiet spell goes at once, the rest every interval. */
  function queueDelta(task: ArmTask, text: string): void {
    task.unsent += text;
    if (task.deltaTimer) return;
    const wait = deltaInterval() - (clock() - task.lastDeltaAt);
    if (wait <= 0) flushDelta(task);
    else task.deltaTimer = setTimeout(() => flushDelta(task), wait);
  }

  // ---------- saving ----------

  function saveDirty(): void {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    lastSaveAt = clock();
    if (closed) return;
    const updates: Parameters<RunRepo['updateArms']>[0] = [];
    for (const run of active.values()) {
      for (const task of run.tasks.values()) {
        if (!task.dirty || task.settled) continue;
        task.dirty = false;
        updates.push({ runId: run.id, armIndex: task.index, progress: { text: task.text } });
      }
    }
    if (updates.length === 0) return;
    try {
      runs.updateArms(updates);
    } catch (error) {
      report(error);
    }
  }

  function queueSave(task: ArmTask): void {
    task.dirty = true;
    if (saveTimer) return;
    const wait = saveInterval - (clock() - lastSaveAt);
    if (wait <= 0) saveDirty();
    else saveTimer = setTimeout(saveDirty, wait);
  }

  // ---------- settling ----------

  /** Sends an arm's state; pending deltas go first, so `text` always equals the deltas so far. */
  function emitArm(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): void {
    flushDelta(task);
    task.run.sink('run:arm', {
      runId: task.run.id,
      armIndex: task.index,
      status,
      stopReason: task.stopReason,
      error,
      metrics: metricsOf(task),
      text: task.text,
    });
  }

  /** Writes an arm's final state and, when it was the run's last open arm, the run's. */
  function settle(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): void {
    if (task.settled || closed) return;
    task.settled = true;
    task.totalMs ??= clock() - task.startedAt;
    const run = task.run;
    try {
      runs.updateArm(run.id, task.index, progressOf(task, status, error));
    } catch (caught) {
      report(caught);
    }
    emitArm(task, status, error);
    run.tasks.delete(task.index);
    if (run.tasks.size === 0) {
      active.delete(run.id);
      const runStatus = runStatusOf(runs.armStatuses(run.id));
      runs.finish(run.id, runStatus);
      run.sink('run:finished', { runId: run.id, status: runStatus });
      try {
        options.onRunFinished?.(run.id, runStatus);
      } catch (caught) {
        report(caught);
      }
    }
  }

  async function drive(task: ArmTask): Promise<void> {
    const { signal } = task.controller;
    try {
      runs.updateArm(task.run.id, task.index, { status: 'streaming' });
      emitArm(task, 'streaming', null);
      const stream = bedrock.converseStream(
        {
          modelId: task.modelId,
          ...(task.request.system ? { system: task.request.system } : {}),
          messages: task.request.messages,
          inference: task.request.inference,
        },
        { signal },
      );
      for await (const event of stream) {
        if (task.settled) break;
        switch (event.type) {
          case 'text':
            if (event.text === '') break;
            task.text += event.text;
            queueDelta(task, event.text);
            queueSave(task);
            if (task.ttftMs === null) {
              // first token: its time goes to the column (and the row) at once
              task.ttftMs = clock() - task.startedAt;
              runs.updateArm(task.run.id, task.index, { ttftMs: task.ttftMs });
              emitArm(task, 'streaming', null);
            }
            break;
          case 'stop':
            task.stopReason = event.stopReason;
            break;
          case 'usage':
            task.inputTokens = event.inputTokens;
            task.outputTokens = event.outputTokens;
            break;
          case 'done':
            if (event.metrics.ttftMs !== null && event.metrics.ttftMs !== undefined) task.ttftMs = event.metrics.ttftMs;
            task.totalMs = event.metrics.totalMs;
            task.inputTokens = event.metrics.inputTokens ?? task.inputTokens;
            task.outputTokens = event.metrics.outputTokens ?? task.outputTokens;
            break;
          default:
            break;
        }
      }
      settle(task, 'completed', null);
    } catch (error) {
      if (isCancellation(error, signal)) settle(task, 'cancelled', null);
      else settle(task, 'failed', errorShape(error));
    }
  }

  function launch(run: ActiveRun, index: number, modelId: string, request: ArmRequest): void {
    const task: ArmTask = {
      run,
      index,
      modelId,
      request,
      controller: new AbortController(),
      text: '',
      unsent: '',
      dirty: false,
      settled: false,
      startedAt: clock(),
      ttftMs: null,
      totalMs: null,
      inputTokens: null,
      outputTokens: null,
      stopReason: null,
      lastDeltaAt: -Infinity,
      deltaTimer: null,
      done: Promise.resolve(),
    };
    run.tasks.set(index, task);
    task.done = drive(task).catch(report);
  }

  function openRun(id: string, sink: RunSink): ActiveRun {
    const run: ActiveRun = { id, sink, tasks: new Map() };
    active.set(id, run);
    return run;
  }

  function requireOpen(): void {
    if (closed) throw new AppError('unavailable', 'Parallax is shutting down; the run was not started.');
  }

  return {
    /**
     * Validates the configuration, writes the run and its pending arms, starts every arm and
     * returns the run as stored. Streaming continues in the background.
     */
    start(input: StartRun, sink: RunSink): RunDetail {
      requireOpen();
      const env = options.techniques ? { techniques: options.techniques() } : {};
      const problems = checkConfig(input.config, env);
      if (!problems.ok) {
        const missing = [...new Set(problems.missing.flat())];
        const parts = [
          missing.length > 0 && `define ${missing.map((n) => `\${${n}}`).join(', ')}`,
          problems.duplicates.length > 0 && `rename the duplicate variable ${problems.duplicates.join(', ')}`,
          problems.emptyPrompts.length > 0 && `write a prompt for ${problems.emptyPrompts.map((i) => input.config.arms[i]!.label).join(', ')}`,
          ...problems.stepProblems.flatMap((list, i) => list.map((problem) => `in ${input.config.arms[i]!.label}: ${problem.replace(/\.$/, '')}`)),
        ].filter(Boolean);
        throw new AppError('bad_input', `Before running, ${parts.join('; ')}.`);
      }
      // Static resolution (shared/arms/resolve.ts): pure request steps applied; the step engine
      // (issue 9) runs model-calling and answer steps.
      const resolved = resolveArms(input.config, env);
      const arms = input.config.arms.map((arm, index) => ({ arm, modelId: resolved[index]!.request.modelId, request: toArmRequest(resolved[index]!.request) }));
      const id = runs.create({
        experimentId: input.experimentId,
        labId: input.labId ?? null,
        title: input.title,
        config: input.config,
        arms: arms.map(({ arm, modelId, request }) => ({ label: arm.label, technique: armTechniqueKey(arm), modelId, request })),
      });
      const run = openRun(id, sink);
      const detail = runs.get(id)!;
      sink('run:started', { run: detail });
      arms.forEach(({ modelId, request }, index) => launch(run, index, modelId, request));
      return detail;
    },

    /** Stops every open arm of a run now; their partial text is saved with status cancelled. */
    cancel(runId: string): number {
      const run = active.get(runId);
      if (!run) return 0;
      const tasks = [...run.tasks.values()];
      for (const task of tasks) {
        task.controller.abort();
        settle(task, 'cancelled', null);
      }
      return tasks.length;
    },

    /** Runs one arm of a stored run again with the run's own configuration snapshot. */
    rerunArm(runId: string, armIndex: number, sink: RunSink): RunDetail {
      requireOpen();
      const stored = runs.get(runId);
      if (!stored) throw new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
      const arm = stored.arms[armIndex];
      if (!arm) throw new AppError('not_found', `This run has no arm ${armIndex + 1}.`);
      if (active.get(runId)?.tasks.has(armIndex)) {
        throw new AppError('conflict', `${arm.label} is still running. Stop it first, or wait for it to finish.`);
      }
      runs.resetArm(runId, armIndex);
      const run = active.get(runId) ?? openRun(runId, sink);
      run.sink = sink;
      const detail = runs.get(runId)!;
      sink('run:started', { run: detail });
      launch(run, armIndex, arm.modelId, arm.request);
      return detail;
    },

    isActive(runId: string): boolean {
      return active.has(runId);
    },

    /** Resolves when the run's open arms have settled (tests, benchmarks). */
    async whenSettled(runId: string): Promise<void> {
      const run = active.get(runId);
      if (!run) return;
      await Promise.all([...run.tasks.values()].map((task) => task.done));
    },

    /**
     * Synchronously saves every open arm's text, marks open arms and their runs interrupted and
     * aborts their streams. Call before closing the database; nothing is written afterwards.
     */
    shutdown(): void {
      if (closed) return;
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = null;
      const updates: Parameters<RunRepo['updateArms']>[0] = [];
      const runIds: string[] = [];
      for (const run of active.values()) {
        runIds.push(run.id);
        for (const task of run.tasks.values()) {
          if (task.deltaTimer) clearTimeout(task.deltaTimer);
          task.settled = true;
          task.totalMs ??= clock() - task.startedAt;
          updates.push({
            runId: run.id,
            armIndex: task.index,
            progress: progressOf(task, 'interrupted', {
              code: 'cancelled',
              message: 'Parallax was closed while this arm was streaming; the text so far was kept.',
            }),
          });
          task.controller.abort();
        }
      }
      closed = true;
      try {
        runs.updateArms(updates);
        for (const id of runIds) runs.finish(id, 'interrupted');
      } catch (error) {
        report(error);
      }
      active.clear();
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
