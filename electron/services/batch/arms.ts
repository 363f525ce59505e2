/**
 * The one place batches touch the comparison runner (issue 13): "create the run of one row and
 * repeat" and "run one arm of it and await its outcome", through the runner's public interface
 * (startStoredArm: launches one arm of a stored run with the run's own snapshot). A batch adds
 * scheduling, not a second pipeline: each cell's run is a normal run in History.
 */
import type { ArmStatus, ExperimentConfig } from '../../../shared/domain';
import type { Runner, RunSink } from '../runner';
import { planArms } from '../runner/plan';
import type { RunRepo } from '../store/runs';

export interface ArmOutcome {
  status: Extract<ArmStatus, 'completed' | 'failed' | 'cancelled' | 'interrupted'>;
  error: { code: string; message: string; kind?: string } | null;
  costUsd: number | null;
  totalMs: number | null;
  text: string;
}

export interface BatchArmRunner {
  /** Writes one normal run (every arm pending, none started) for one row's variables. */
  createRun(input: { experimentId: string | null; title: string; config: ExperimentConfig }): string;
  /**
   * Starts one arm of a stored run; resolves when it settles. `onText` hears its streamed text
   * (the runner's coalesced, paced deltas) with the offset each starts at.
   */
  runArm(runId: string, armIndex: number, onText?: ArmText): Promise<ArmOutcome>;
  /**
   * runArm for the scheduler: `onSettled` hears the outcome synchronously, inside the runner's
   * transaction that writes the arm's final row, so what the caller writes then (the cell's
   * state, the next cell's start) is committed with it, and a freed slot is refilled at once.
   * Throws when the arm cannot start.
   */
  startArm(runId: string, armIndex: number, handlers: { onText?: ArmText; onSettled(outcome: ArmOutcome): void }): void;
  /** Stops the open arms of a run (their outcomes resolve as cancelled). */
  cancel(runId: string): void;
  /** A stored arm's state (to reconcile after a crash). */
  armState(runId: string, armIndex: number): ArmOutcome | { status: 'pending' | 'streaming' } | null;
}

export type ArmText = (text: string, at: number) => void;

const SETTLED = new Set<ArmStatus>(['completed', 'failed', 'cancelled', 'interrupted']);

/**
 * The Bedrock error kind of a failed arm (throttled, timeout, service, …). The step engine keeps
 * an error's code and message; when the kind did not travel with them it is read from the
 * message electron/services/bedrock/errors.ts writes for that kind.
 */
export function errorKind(error: { code: string; message: string; kind?: string } | null): string | null {
  if (!error) return null;
  if (error.kind) return error.kind;
  if (error.code !== 'bedrock') return null;
  if (/^Bedrock is throttling requests/.test(error.message)) return 'throttled';
  if (/took too long to answer|^Bedrock did not answer/.test(error.message)) return 'timeout';
  if (/^Bedrock had a problem on its side/.test(error.message)) return 'service';
  return null;
}

export function createBatchArmRunner(deps: { runner: Runner; runs: RunRepo }): BatchArmRunner {
  const waiters = new Map<string, (outcome: ArmOutcome) => void>();
  function start(runId: string, armIndex: number, onSettled: (outcome: ArmOutcome) => void, onText: ArmText | undefined): void {
    waiters.set(key(runId, armIndex), onSettled);
    if (onText) streams.set(key(runId, armIndex), { onText, length: 0 });
    try {
      deps.runner.startStoredArm(runId, armIndex, sink);
    } catch (error) {
      waiters.delete(key(runId, armIndex));
      streams.delete(key(runId, armIndex));
      throw error;
    }
  }
  const key = (runId: string, arm: number) => `${runId}\u0000${arm}`;
  /** Arms whose caller hears their text: how much has streamed so far. */
  const streams = new Map<string, { onText: ArmText; length: number }>();
  // Only settled arms matter to the scheduler (the matrix shows them); text goes to `onText`,
  // which forwards it only while a window watches the batch (service.ts watch).
  const sink: RunSink = (event, payload) => {
    if (event === 'run:delta') {
      const delta = payload as { runId: string; armIndex: number; text: string };
      const stream = streams.get(key(delta.runId, delta.armIndex));
      if (!stream) return;
      const at = stream.length;
      stream.length += delta.text.length;
      stream.onText(delta.text, at);
      return;
    }
    if (event !== 'run:arm') return;
    const update = payload as import('../../../shared/contract/compare').ArmUpdate;
    if (!SETTLED.has(update.status)) return;
    const k = key(update.runId, update.armIndex);
    const resolve = waiters.get(k);
    if (!resolve) return;
    waiters.delete(k);
    streams.delete(k);
    const outcome: ArmOutcome = {
      status: update.status as ArmOutcome['status'],
      error: update.error ? { ...update.error, kind: errorKind(update.error) ?? undefined } : null,
      costUsd: update.metrics.costUsd,
      totalMs: update.metrics.totalMs,
      text: update.text,
    };
    // never into the runner: a failure here must not undo the arm's final row
    try {
      resolve(outcome);
    } catch (error) {
      console.error('[parallax] batch arm:', error);
    }
  };
  return {
    createRun(input) {
      return deps.runs.create({
        experimentId: input.experimentId,
        title: input.title,
        config: input.config,
        // what the runner itself would store for these arms (the step engine plans them again when each starts)
        arms: planArms(input.config).map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: arm.preview })),
      });
    },
    runArm(runId, armIndex, onText) {
      return new Promise<ArmOutcome>((resolve, reject) => {
        try {
          start(runId, armIndex, resolve, onText);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    startArm(runId, armIndex, handlers) {
      start(runId, armIndex, handlers.onSettled, handlers.onText);
    },
    cancel(runId) {
      deps.runner.cancel(runId);
    },
    armState(runId, armIndex) {
      const arm = deps.runs.get(runId)?.arms[armIndex];
      if (!arm) return null;
      if (arm.status === 'pending' || arm.status === 'streaming') return { status: arm.status };
      return { status: arm.status, error: arm.error, costUsd: arm.metrics.costUsd, totalMs: arm.metrics.totalMs, text: arm.text };
    },
  };
}
