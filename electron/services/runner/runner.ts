/**
 * The comparison runner: starts every arm of a run at once, streams each through the Bedrock
 * service, pushes coalesced events to the renderer and writes the run to SQLite as it goes.
 *
 * Every arm runs through the step engine (electron/services/steps): its request steps, the model
 * call, its answer steps; each step's trace is saved (arm_steps) and sent (`run:step`) as it
 * changes, so a run killed mid-chain keeps its finished steps (the last step's settled trace is
 * saved with the arm's final row, in the same transaction). The time to first token is sent at
 * once and saved with the first text written.
 *
 * Persistence: the run and one pending row per arm are written before the first request. Only
 * new text is written while streaming: at most every `saveIntervalMs` each arm's text since the
 * last flush is appended as a chunk (arm_text_chunks, all arms in one transaction), and folded
 * into arm_outputs.text once when the arm settles, so writes grow linearly with the answer. Stop
 * (cancel) settles the arms at once, keeping their partial text, and aborts the HTTP streams.
 * `shutdown()` does the same synchronously for every open run and marks it interrupted.
 *
 * Events: `run:delta` is throttled per arm (leading and trailing edge, `deltaIntervalMs`), so a
 * fast model sends at most ~60 events a second per arm and a slow one pays no added latency.
 */
import type { ArmMetrics, ArmRequest, ArmStatus, ExperimentConfig, RunDetail, RunStatus, StoppedBy } from '../../../shared/domain';
import { AppError, type AppErrorShape } from '../../../shared/errors';
import type { StepConfig } from '../../../shared/steps/registry';
import type { AnswerVersion, StepTrace } from '../../../shared/steps/trace';
import { BUILT_IN_TECHNIQUES, type Technique } from '../../../shared/techniques';
import { checkConfig } from '../../../shared/arms/resolve';
import { planArm, planArms } from './plan';
import { errorShape, isCancellation, runArm } from '../steps/engine';
import type { Generator, StepEnv, StepModels } from '../steps/types';
import type { ArmProgress, RunRepo } from '../store/runs';
import type { RunSink, StreamingModel, TextModel } from './types';

export interface RunnerOptions {
  /** The Bedrock service: streaming for the answer, one-shot calls for model steps. */
  bedrock: StreamingModel & Partial<Pick<TextModel, 'converse'>> & Pick<StepModels, 'applyGuardrail'>;
  runs: RunRepo;
  /** The technique library (shipped + the user's) for technique steps. */
  techniques?: () => readonly Technique[];
  /** The user's default generation model (rewrite steps without a model of their own). */
  defaultModelId?: () => string;
  /** Corpora for retrieve and clarify steps (issue 11). */
  corpora?: StepEnv['corpora'];
  estimateCost?(modelId: string, inputTokens: number, outputTokens: number): number | null;
  /** Monotonic clock for timings (ms). */
  clock?: () => number;
  /** A number, or a function read at each throttling decision (backpressure: streaming/pace.ts). */
  deltaIntervalMs?: number | (() => number);
  saveIntervalMs?: number;
  /** Called with every unexpected internal failure (logging). */
  onInternalError?(error: unknown): void;
  /**
   * Called once a run has settled (scores: automatic scoring, issue 5). `automaticScoring` is false
   * for runs a batch drives: a batch scores with the scores chosen for it.
   */
  onRunFinished?(runId: string, status: Exclude<RunStatus, 'running'>, automaticScoring: boolean): void;
  /** Called once a run is stored, before any arm starts, with each arm's steps (moderation pipelines it used, issue 10). */
  onRunCreated?(runId: string, arms: readonly { index: number; steps: readonly StepConfig[] }[]): void;
  /** The model call of image arms (arms whose request has image settings), issue 12. */
  imageGenerator?: Generator;
}

export interface StartRun {
  experimentId: string | null;
  /** The guided lab the comparison came from; null/omitted = from the experiment's lab, if any. */
  labId?: string | null;
  title: string;
  config: ExperimentConfig;
}

/** What one arm runs: the request before its steps, and the steps. */
export interface ArmPlan {
  modelId: string;
  request: ArmRequest;
  steps: readonly StepConfig[];
  variables: ReadonlyMap<string, string>;
}

interface ArmTask {
  run: ActiveRun;
  index: number;
  modelId: string;
  plan: ArmPlan;
  controller: AbortController;
  /** The streamed draft so far. */
  text: string;
  /** Streamed text not yet appended to the store (kept apart: slicing `text` would flatten it each time). */
  unsaved: string;
  chunkSeq: number;
  /** The answer's versions once a step revised it (the draft first); empty otherwise. */
  versions: AnswerVersion[];
  /** The request as stored (JSON): what the arm sends is written only when a step changed it. */
  storedRequest: string | null;
  /** The index of the arm's last step (its plan's last trace); -1 before the plan. */
  lastStep: number;
  /** The last step's settled trace, written with the arm's final row (one commit, not two). */
  heldTrace: StepTrace | null;
  stoppedBy: StoppedBy | null;
  unsent: string;
  dirty: boolean;
  settled: boolean;
  startedAt: number;
  ttftMs: number | null;
  /** The time to first token is not in the arm's row yet (it goes with the next text written). */
  ttftUnsaved: boolean;
  totalMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  stopReason: string | null;
  lastDeltaAt: number;
  deltaTimer: ReturnType<typeof setTimeout> | null;
  done: Promise<void>;
}

interface ActiveRun {
  id: string;
  sink: RunSink;
  tasks: Map<number, ArmTask>;
  automaticScoring: boolean;
}

/** A run's status from its arms: any stopped → cancelled, else any failed → failed, and so on. */
export function runStatusOf(arms: readonly ArmStatus[]): Exclude<RunStatus, 'running'> {
  if (arms.includes('cancelled')) return 'cancelled';
  if (arms.includes('failed')) return 'failed';
  if (arms.includes('interrupted') || arms.includes('pending') || arms.includes('streaming')) return 'interrupted';
  return 'completed';
}

/** The arm's final text: the last version when a step revised it, else the streamed draft. */
function answerOf(task: ArmTask): string {
  return task.versions.length > 0 ? task.versions.at(-1)!.text : task.text;
}

export function createRunner(options: RunnerOptions) {
  const { bedrock, runs } = options;
  const clock = options.clock ?? (() => performance.now());
  const deltaOption = options.deltaIntervalMs ?? 16;
  const deltaInterval = typeof deltaOption === 'function' ? deltaOption : () => deltaOption;
  const saveInterval = options.saveIntervalMs ?? 100;
  const active = new Map<string, ActiveRun>();
  /** Questions steps are waiting on, by `${runId}:${armIndex}:${stepIndex}`. */
  const questions = new Map<string, (answer: string) => void>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let lastSaveAt = -Infinity;
  let closed = false;

  const report = (error: unknown) => {
    if (options.onInternalError) options.onInternalError(error);
    else console.error('[parallax] runner:', error);
  };

  /** Tokens and cost add up every model call of the arm (every step's, the answer's). */
  function metricsOf(task: ArmTask): ArmMetrics {
    return { inputTokens: task.inputTokens, outputTokens: task.outputTokens, ttftMs: task.ttftMs, totalMs: task.totalMs, costUsd: task.costUsd };
  }

  /** The final row of an arm; its text is written here only when a revision replaced the draft. */
  function progressOf(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): ArmProgress {
    const metrics = metricsOf(task);
    return {
      ...(task.versions.length > 0 ? { text: answerOf(task) } : {}),
      status,
      stopReason: task.stopReason,
      error,
      ...metrics,
      ...(task.stoppedBy ? { stoppedBy: task.stoppedBy } : {}),
    };
  }

  /** The streamed text not yet written, as one chunk to append (null when none). */
  function takeChunk(task: ArmTask): { runId: string; armIndex: number; seq: number; text: string } | null {
    if (task.unsaved === '') return null;
    const chunk = { runId: task.run.id, armIndex: task.index, seq: task.chunkSeq, text: task.unsaved };
    task.chunkSeq += 1;
    task.unsaved = '';
    return chunk;
  }

  /** Writes an arm's final row: the streamed chunks folded into its text (or the revised answer). */
  function writeFinal(task: ArmTask, progress: ArmProgress): void {
    const steps = runs.steps;
    if (steps) {
      writeHeld(task);
      const chunk = takeChunk(task);
      if (task.versions.length > 0) steps.dropText(task.run.id, task.index);
      else {
        if (chunk) steps.appendText(chunk.runId, chunk.armIndex, chunk.seq, chunk.text);
        steps.foldText(task.run.id, task.index);
      }
      runs.updateArm(task.run.id, task.index, progress);
    } else {
      runs.updateArm(task.run.id, task.index, { text: answerOf(task), ...progress });
    }
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
    const chunks: { runId: string; armIndex: number; seq: number; text: string }[] = [];
    const firsts: ArmTask[] = [];
    for (const run of active.values()) {
      for (const task of run.tasks.values()) {
        if (!task.dirty || task.settled) continue;
        task.dirty = false;
        const chunk = takeChunk(task);
        if (chunk) chunks.push(chunk);
        if (task.ttftUnsaved) firsts.push(task);
      }
    }
    if (chunks.length === 0 && firsts.length === 0) return;
    try {
      runs.atomically(() => {
        const steps = runs.steps;
        if (steps) steps.appendTexts(chunks);
        else runs.updateArms(chunks.map((c) => ({ runId: c.runId, armIndex: c.armIndex, progress: { text: active.get(c.runId)!.tasks.get(c.armIndex)!.text } })));
        for (const task of firsts) {
          task.ttftUnsaved = false;
          runs.updateArm(task.run.id, task.index, { ttftMs: task.ttftMs });
        }
      });
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
      text: answerOf(task),
      ...(task.versions.length > 0 ? { versions: task.versions } : {}),
      ...(task.stoppedBy ? { stoppedBy: task.stoppedBy } : {}),
    });
  }

  function writeHeld(task: ArmTask): void {
    const held = task.heldTrace;
    if (!held) return;
    task.heldTrace = null;
    runs.steps?.save(task.run.id, task.index, held);
  }

  function saveStep(task: ArmTask, trace: StepTrace): void {
    if (task.settled || closed) return;
    try {
      if (task.heldTrace && task.heldTrace.index !== trace.index) writeHeld(task);
      // the last step settling is the arm settling: its trace is written with the arm's final row
      const last = trace.index === task.lastStep && trace.status !== 'pending' && trace.status !== 'running' && trace.status !== 'waiting';
      if (last) task.heldTrace = trace;
      else {
        task.heldTrace = null;
        runs.steps?.save(task.run.id, task.index, trace);
      }
    } catch (error) {
      report(error);
    }
    task.run.sink('run:step', { runId: task.run.id, armIndex: task.index, step: trace });
  }

  /** Writes an arm's final state and, when it was the run's last open arm, the run's (one transaction). */
  function settle(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): void {
    if (task.settled || closed) return;
    runs.atomically(() => settleNow(task, status, error));
  }

  function settleNow(task: ArmTask, status: ArmStatus, error: AppErrorShape | null): void {
    task.settled = true;
    task.totalMs ??= clock() - task.startedAt;
    const run = task.run;
    for (const key of [...questions.keys()]) if (key.startsWith(`${run.id}:${task.index}:`)) questions.delete(key);
    try {
      writeFinal(task, progressOf(task, status, error));
    } catch (caught) {
      report(caught);
    }
    // out of the run's open arms before the event: a listener may start an arm of this run at once
    run.tasks.delete(task.index);
    emitArm(task, status, error);
    if (run.tasks.size === 0) {
      active.delete(run.id);
      const runStatus = runStatusOf(runs.armStatuses(run.id));
      runs.finish(run.id, runStatus);
      run.sink('run:finished', { runId: run.id, status: runStatus });
      try {
        options.onRunFinished?.(run.id, runStatus, run.automaticScoring);
      } catch (caught) {
        report(caught);
      }
    }
  }

  const models: StepModels = {
    converse: (input, callOptions) => {
      if (!bedrock.converse) throw new AppError('internal', 'This arm needs a model call that this runner was not given.');
      return bedrock.converse(input, callOptions);
    },
    converseStream: (input, callOptions) => bedrock.converseStream(input, callOptions),
    applyGuardrail: (input, callOptions) => {
      if (!bedrock.applyGuardrail) throw new AppError('internal', 'This arm needs Bedrock Guardrails, which this runner was not given.');
      return bedrock.applyGuardrail(input, callOptions);
    },
  };

  function envOf(task: ArmTask): StepEnv {
    return {
      techniques: options.techniques?.() ?? BUILT_IN_TECHNIQUES,
      defaultModelId: options.defaultModelId?.() ?? task.modelId,
      variables: task.plan.variables,
      ...(options.corpora ? { corpora: options.corpora } : {}),
    };
  }

  async function drive(task: ArmTask): Promise<void> {
    const { signal } = task.controller;
    try {
      runs.updateArm(task.run.id, task.index, { status: 'streaming' });
      emitArm(task, 'streaming', null);
      const outcome = await runArm({
        runId: task.run.id,
        armIndex: task.index,
        request: { modelId: task.modelId, ...task.plan.request },
        steps: task.plan.steps,
        env: envOf(task),
        models,
        ...(task.plan.request.image && options.imageGenerator ? { generator: options.imageGenerator } : {}),
        signal,
        clock,
        hooks: {
          onPlan: (traces) => {
            if (task.settled) return;
            task.lastStep = traces.at(-1)?.index ?? -1;
            try {
              runs.steps?.begin(task.run.id, task.index, traces);
            } catch (error) {
              report(error);
            }
            for (const step of traces) task.run.sink('run:step', { runId: task.run.id, armIndex: task.index, step });
          },
          onStep: (trace) => saveStep(task, trace),
          onRequest: (request) => {
            if (task.settled) return;
            const sent: ArmRequest = { system: request.system, messages: request.messages, inference: request.inference, ...(request.image ? { image: request.image } : {}) };
            task.modelId = request.modelId;
            try {
              const json = JSON.stringify(sent);
              if (json !== task.storedRequest) {
                runs.updateArm(task.run.id, task.index, { request: sent });
                task.storedRequest = json;
              }
            } catch (error) {
              report(error);
            }
          },
          onText: (text) => {
            if (task.settled) return;
            task.text += text;
            task.unsaved += text;
            const first = task.ttftMs === null;
            if (first) {
              // first token: its time goes to the column at once, to the row with the first text written
              task.ttftMs = clock() - task.startedAt;
              task.ttftUnsaved = true;
            }
            queueDelta(task, text);
            queueSave(task);
            if (first) emitArm(task, 'streaming', null);
          },
          onAnswer: (_version, versions) => {
            if (task.settled) return;
            task.versions = [...versions];
            try {
              runs.steps?.saveVersions(task.run.id, task.index, task.versions);
              // a revision replaces the answer: store it whole now (rare, so a full write), so a
              // run killed later in the chain reopens with the latest version, not a torn draft
              task.unsaved = '';
              runs.steps?.dropText(task.run.id, task.index);
              runs.updateArm(task.run.id, task.index, { text: answerOf(task) });
            } catch (error) {
              report(error);
            }
            emitArm(task, 'streaming', null);
          },
          ask: (stepIndex, question, askSignal) =>
            new Promise<string>((resolve, reject) => {
              const key = `${task.run.id}:${task.index}:${stepIndex}`;
              const onAbort = () => {
                questions.delete(key);
                reject(new AppError('cancelled', 'Cancelled.'));
              };
              if (askSignal.aborted) return onAbort();
              askSignal.addEventListener('abort', onAbort, { once: true });
              questions.set(key, (answer) => {
                askSignal.removeEventListener('abort', onAbort);
                questions.delete(key);
                resolve(answer);
              });
            }),
          ...(options.estimateCost ? { estimateCost: options.estimateCost } : {}),
        },
      });
      if (task.settled) return;
      task.stopReason = outcome.stopReason;
      task.inputTokens = outcome.totals.inputTokens;
      task.outputTokens = outcome.totals.outputTokens;
      task.costUsd = outcome.totals.costUsd;
      task.totalMs = outcome.totalMs;
      if (outcome.versions.length > 1) task.versions = outcome.versions;
      if (outcome.stoppedBy) {
        task.stoppedBy = outcome.stoppedBy;
        if (outcome.versions.length > 0 && outcome.versions.at(-1)!.stepIndex === outcome.stoppedBy.stepIndex) task.versions = outcome.versions;
      }
      if (outcome.status === 'cancelled') settle(task, 'cancelled', null);
      else if (outcome.status === 'failed') settle(task, 'failed', outcome.error ? { ...outcome.error, code: outcome.error.code as AppErrorShape['code'] } : null);
      else settle(task, 'completed', null);
    } catch (error) {
      if (isCancellation(error, signal)) settle(task, 'cancelled', null);
      else settle(task, 'failed', errorShape(error));
    }
  }

  function launch(run: ActiveRun, index: number, plan: ArmPlan, storedRequest: ArmRequest): void {
    const task: ArmTask = {
      run,
      index,
      modelId: plan.modelId,
      plan,
      controller: new AbortController(),
      text: '',
      unsaved: '',
      chunkSeq: 0,
      versions: [],
      storedRequest: JSON.stringify(storedRequest),
      lastStep: -1,
      heldTrace: null,
      stoppedBy: null,
      costUsd: null,
      unsent: '',
      dirty: false,
      settled: false,
      startedAt: clock(),
      ttftMs: null,
      ttftUnsaved: false,
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
    const run: ActiveRun = { id, sink, tasks: new Map(), automaticScoring: true };
    active.set(id, run);
    return run;
  }

  function rerun(runId: string, armIndex: number, sink: RunSink, announce: boolean): RunDetail | null {
    requireOpen();
    // the run's snapshot and this arm's row only: the rest of the run is not needed to start it
    const stored = runs.armToRerun(runId, armIndex);
    if (!stored) throw new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
    const arm = stored.arm;
    if (!arm) throw new AppError('not_found', `This run has no arm ${armIndex + 1}.`);
    if (active.get(runId)?.tasks.has(armIndex)) {
      throw new AppError('conflict', `${arm.label} is still running. Stop it first, or wait for it to finish.`);
    }
    // the run's own snapshot, planned again (this arm only): steps run again and follow its baseline
    const env = options.techniques ? { techniques: options.techniques() } : {};
    const planned = planArm(stored.config, armIndex, env);
    const plan = planned ?? { modelId: arm.modelId, request: arm.request, steps: [], variables: new Map<string, string>() };
    const request = planned?.preview ?? arm.request;
    runs.restartArm(runId, armIndex, request);
    const run = active.get(runId) ?? openRun(runId, sink);
    run.sink = sink;
    if (!announce) run.automaticScoring = false;
    const detail = announce ? runs.get(runId)! : null;
    if (detail) sink('run:started', { run: detail });
    launch(run, armIndex, plan, request);
    return detail;
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
      const arms = planArms(input.config, env);
      const id = runs.create({
        experimentId: input.experimentId,
        labId: input.labId ?? null,
        title: input.title,
        config: input.config,
        arms: arms.map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: arm.preview })),
      });
      try {
        options.onRunCreated?.(id, arms.map((arm, index) => ({ index, steps: arm.steps })));
      } catch (error) {
        report(error);
      }
      const run = openRun(id, sink);
      const detail = runs.get(id)!;
      sink('run:started', { run: detail });
      arms.forEach((arm, index) => launch(run, index, arm, arm.preview));
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
      return runs.atomically(() => rerun(runId, armIndex, sink, true)!);
    },

    /**
     * rerunArm for a caller that already knows the run (batches): no `run:started` event, no
     * read-back, no automatic scoring afterwards (the batch scores with its own choice); the arm's
     * start is written in one transaction.
     */
    startStoredArm(runId: string, armIndex: number, sink: RunSink): void {
      runs.atomically(() => rerun(runId, armIndex, sink, false));
    },

    /** The user's answer to a step's question; false when no step is waiting for it. */
    answer(runId: string, armIndex: number, stepIndex: number, answer: string): boolean {
      const resolve = questions.get(`${runId}:${armIndex}:${stepIndex}`);
      if (!resolve) return false;
      resolve(answer);
      return true;
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
      const runIds: string[] = [];
      const tasks: ArmTask[] = [];
      for (const run of active.values()) {
        runIds.push(run.id);
        for (const task of run.tasks.values()) {
          if (task.deltaTimer) clearTimeout(task.deltaTimer);
          task.settled = true;
          task.totalMs ??= clock() - task.startedAt;
          tasks.push(task);
          task.controller.abort();
        }
      }
      closed = true;
      questions.clear();
      try {
        for (const task of tasks) {
          writeFinal(
            task,
            progressOf(task, 'interrupted', { code: 'cancelled', message: 'Parallax was closed while this arm was streaming; the text so far was kept.' }),
          );
        }
        // open steps of these runs are marked interrupted, like a run found unfinished at start-up
        runs.steps?.markInterrupted();
        for (const id of runIds) runs.finish(id, 'interrupted');
      } catch (error) {
        report(error);
      }
      active.clear();
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
