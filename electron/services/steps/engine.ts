/**
 * The step engine: runs one arm as a pipeline — its request steps in order, the generator (the
 * model call), then its answer steps in order — and reports a StepTrace for each as it happens.
 *
 * Every model call goes through the step's context, so tokens and cost add up per step and per
 * arm; every call gets the arm's AbortSignal, so Stop cancels whichever step is running. A
 * thrown error fails the step and the arm (finished steps keep their traces); a step may also
 * stop the arm with a reason the column shows.
 */
import { AppError, type AppErrorShape } from '../../../shared/errors';
import type { StepConfig } from '../../../shared/steps/registry';
import { STEP_KINDS, stepPhase } from '../../../shared/steps/registry';
import type { AnswerVersion, StepTrace } from '../../../shared/steps/trace';
import { stepRunner } from './registry';
import { textGenerator } from './generate-text';
import type {
  ArmOutcome,
  ArmPlanStep,
  EngineHooks,
  Generator,
  ModelCallInput,
  ModelCallResult,
  StepContext,
  StepEnv,
  StepModels,
  StepRequest,
  StepSource,
} from './types';

export interface RunArmInput {
  runId: string;
  armIndex: number;
  /** The arm's request before its steps: system, earlier turns and the rendered prompt. */
  request: StepRequest;
  steps: readonly StepConfig[];
  env: StepEnv;
  models: StepModels;
  hooks: EngineHooks;
  signal: AbortSignal;
  generator?: Generator;
  /** Monotonic ms (performance.now by default). */
  clock?: () => number;
  /** Wall-clock ms for StepTrace.startedAt (Date.now by default). */
  now?: () => number;
  /** The runner of each kind (the registry by default; tests hand in their own). */
  runnerOf?: typeof stepRunner;
}

/** The arm's pipeline in the order it runs: request steps, the generator, answer steps. */
export function planArm(
  steps: readonly StepConfig[],
  env: StepEnv,
  request: StepRequest,
  generator: Generator = textGenerator,
  runnerOf: typeof stepRunner = stepRunner,
): ArmPlanStep[] {
  const labelOf = (config: StepConfig) => {
    try {
      return runnerOf(config.kind).label(config, env);
    } catch {
      return STEP_KINDS[config.kind]?.name ?? config.kind;
    }
  };
  const requestSteps = steps.filter((step) => stepPhase(step) === 'request');
  const answerSteps = steps.filter((step) => stepPhase(step) === 'answer');
  const plan: ArmPlanStep[] = [];
  for (const config of requestSteps) plan.push({ index: plan.length, kind: config.kind, phase: 'request', label: labelOf(config), config });
  plan.push({ index: plan.length, kind: 'generate', phase: 'generate', label: generator.label(request), config: null });
  for (const config of answerSteps) plan.push({ index: plan.length, kind: config.kind, phase: 'answer', label: labelOf(config), config });
  return plan;
}

export function pendingTraces(plan: readonly ArmPlanStep[]): StepTrace[] {
  return plan.map((step) => ({
    index: step.index,
    kind: step.kind,
    label: step.label,
    status: 'pending',
    startedAt: null,
    totalMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    summary: null,
    detail: null,
    error: null,
  }));
}

const add = (a: number | null, b: number | null): number | null => (b === null ? a : (a ?? 0) + b);

export function isCancellation(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return code === 'cancelled' || name === 'AbortError';
}

export function errorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  const shape = (error as { toShape?: () => AppErrorShape } | null)?.toShape?.();
  if (shape && typeof shape.message === 'string') return shape;
  return {
    code: 'internal',
    message: 'This arm stopped because of an unexpected error inside Parallax. Try re-running it.',
    details: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

function cancelled(): AppError {
  return new AppError('cancelled', 'Cancelled.');
}

/** Runs one arm through its steps. Never throws: the outcome says how it ended. */
export async function runArm(input: RunArmInput): Promise<ArmOutcome> {
  const clock = input.clock ?? (() => performance.now());
  const now = input.now ?? Date.now;
  const generator = input.generator ?? textGenerator;
  const { hooks, signal, models, env } = input;
  const armStarted = clock();
  const runnerOf = input.runnerOf ?? stepRunner;
  const plan = planArm(input.steps, env, input.request, generator, runnerOf);
  const traces = pendingTraces(plan);
  if (hooks.onPlan) hooks.onPlan(traces.map((trace) => ({ ...trace })));
  else for (const trace of traces) hooks.onStep({ ...trace });

  let request: StepRequest = input.request;
  let sent: StepRequest | null = null;
  let sources: StepSource[] = [];
  let answer: string | null = null;
  const versions: AnswerVersion[] = [];
  let stopReason: string | null = null;
  let ttftMs: number | null = null;
  let stoppedBy: ArmOutcome['stoppedBy'] = null;
  let error: ArmOutcome['error'] = null;
  let status: ArmOutcome['status'] = 'completed';

  const cost = (modelId: string, inTokens: number | null, outTokens: number | null): number | null =>
    inTokens !== null && outTokens !== null && hooks.estimateCost ? hooks.estimateCost(modelId, inTokens, outTokens) : null;

  function contextFor(trace: StepTrace): StepContext {
    const account = (modelId: string, inTokens: number | null, outTokens: number | null): number | null => {
      const usd = cost(modelId, inTokens, outTokens);
      trace.inputTokens = add(trace.inputTokens, inTokens);
      trace.outputTokens = add(trace.outputTokens, outTokens);
      trace.costUsd = add(trace.costUsd, usd);
      return usd;
    };
    const ctx: StepContext = {
      runId: input.runId,
      armIndex: input.armIndex,
      stepIndex: trace.index,
      get request() {
        return request;
      },
      set request(next: StepRequest) {
        request = next;
      },
      get sources() {
        return sources;
      },
      set sources(next: StepSource[]) {
        sources = next;
      },
      get answer() {
        return answer;
      },
      setAnswer(text: string, reason: string) {
        answer = text;
        const version: AnswerVersion = { stepIndex: trace.index, reason, text };
        versions.push(version);
        hooks.onAnswer?.(version, versions);
      },
      signal,
      env,
      async call(call: ModelCallInput): Promise<ModelCallResult> {
        if (signal.aborted) throw cancelled();
        const started = clock();
        const result = await models.converse(call, { signal });
        const inTokens = result.metrics?.inputTokens ?? null;
        const outTokens = result.metrics?.outputTokens ?? null;
        const costUsd = account(call.modelId, inTokens, outTokens);
        return {
          text: result.text,
          ...(result.toolInput !== undefined ? { toolInput: result.toolInput } : {}),
          stopReason: result.stopReason ?? null,
          inputTokens: inTokens,
          outputTokens: outTokens,
          costUsd,
          totalMs: clock() - started,
          ttftMs: null,
        };
      },
      async stream(call: ModelCallInput, onText?: (text: string) => void): Promise<ModelCallResult> {
        if (signal.aborted) throw cancelled();
        const started = clock();
        let text = '';
        let first: number | null = null;
        let callStop: string | null = null;
        let inTokens: number | null = null;
        let outTokens: number | null = null;
        try {
          for await (const event of models.converseStream(call, { signal })) {
            if (event.type === 'text') {
              if (event.text === '') continue;
              first ??= clock() - started;
              text += event.text;
              onText?.(event.text);
            } else if (event.type === 'stop') callStop = event.stopReason;
            else if (event.type === 'usage') {
              inTokens = event.inputTokens;
              outTokens = event.outputTokens;
            } else if (event.type === 'done') {
              inTokens = event.metrics.inputTokens ?? inTokens;
              outTokens = event.metrics.outputTokens ?? outTokens;
            }
          }
        } catch (caught) {
          // tokens are unknown for a broken stream; what arrived is kept on the error
          (caught as { partialText?: string }).partialText = text;
          throw caught;
        }
        const costUsd = account(call.modelId, inTokens, outTokens);
        return { text, stopReason: callStop, inputTokens: inTokens, outputTokens: outTokens, costUsd, totalMs: clock() - started, ttftMs: first };
      },
      async applyGuardrail(check) {
        if (signal.aborted) throw cancelled();
        if (!models.applyGuardrail) throw new AppError('internal', 'This arm needs Bedrock Guardrails, which this runner was not given.');
        return models.applyGuardrail(check, { signal });
      },
      setDetail(detail: unknown, summary?: string) {
        trace.detail = detail;
        if (summary !== undefined) trace.summary = summary;
        hooks.onStep({ ...trace });
      },
      async ask(question: string): Promise<string> {
        if (signal.aborted) throw cancelled();
        const previous = trace.status;
        trace.status = 'waiting';
        trace.detail = { ...(isRecord(trace.detail) ? trace.detail : {}), question };
        hooks.onStep({ ...trace });
        const reply = await hooks.ask(trace.index, question, signal);
        if (signal.aborted) throw cancelled();
        trace.status = previous;
        trace.detail = { ...(isRecord(trace.detail) ? trace.detail : {}), question, reply };
        hooks.onStep({ ...trace });
        return reply;
      },
    };
    return ctx;
  }

  let failedAt = -1;
  for (const step of plan) {
    const trace = traces[step.index]!;
    if (signal.aborted) {
      status = 'cancelled';
      break;
    }
    trace.status = 'running';
    trace.startedAt = now();
    const started = clock();
    hooks.onStep({ ...trace });
    const ctx = contextFor(trace);
    try {
      if (step.phase === 'generate') {
        sent = request;
        hooks.onRequest?.(request);
        const draft = await generator.run(ctx, (text) => {
          ttftMs ??= clock() - armStarted;
          hooks.onText(text);
        });
        stopReason = draft.stopReason;
        answer = draft.text;
        versions.push({ stepIndex: step.index, reason: 'First draft', text: draft.text });
        trace.status = 'done';
        trace.summary ??= `${draft.text.length.toLocaleString('en-US')} characters`;
      } else {
        const outcome = await runnerOf(step.config!.kind).run(step.config!, ctx);
        if (signal.aborted) throw cancelled();
        if (outcome.status === 'stopped') {
          trace.status = 'stopped';
          trace.summary = outcome.reason;
          stoppedBy = { stepIndex: step.index, label: step.label, reason: outcome.reason };
          if (outcome.replaceAnswer !== undefined) ctx.setAnswer(outcome.replaceAnswer, outcome.reason);
        } else {
          trace.status = outcome.status;
          if (outcome.summary !== undefined) trace.summary = outcome.summary;
        }
      }
      trace.totalMs = clock() - started;
      hooks.onStep({ ...trace });
      if (stoppedBy) {
        status = 'stopped';
        failedAt = step.index;
        break;
      }
    } catch (caught) {
      trace.totalMs = clock() - started;
      if (step.phase === 'generate') {
        const partial = (caught as { partialText?: string } | null)?.partialText;
        if (partial) {
          answer = partial;
          versions.push({ stepIndex: step.index, reason: 'First draft (incomplete)', text: partial });
        }
      }
      if (isCancellation(caught, signal)) {
        trace.status = 'cancelled';
        status = 'cancelled';
      } else {
        const shape = errorShape(caught);
        trace.status = 'failed';
        trace.error = shape.details === undefined ? { code: shape.code, message: shape.message } : { code: shape.code, message: shape.message, details: shape.details };
        error = trace.error;
        status = 'failed';
      }
      hooks.onStep({ ...trace });
      failedAt = step.index;
      break;
    }
  }

  // Steps that never ran: cancelled with the arm, or skipped after a failure or a stop.
  if (status !== 'completed') {
    for (const trace of traces) {
      if (trace.index <= failedAt && failedAt >= 0) continue;
      if (trace.status !== 'pending') continue;
      trace.status = status === 'cancelled' ? 'cancelled' : 'skipped';
      trace.summary = status === 'cancelled' ? 'Stopped before it ran' : status === 'stopped' ? 'Not run: the arm was stopped by an earlier step' : 'Not run: an earlier step failed';
      hooks.onStep({ ...trace });
    }
  }

  const totals = traces.reduce(
    (sum, trace) => ({
      inputTokens: add(sum.inputTokens, trace.inputTokens),
      outputTokens: add(sum.outputTokens, trace.outputTokens),
      costUsd: add(sum.costUsd, trace.costUsd),
    }),
    { inputTokens: null as number | null, outputTokens: null as number | null, costUsd: null as number | null },
  );
  return {
    status,
    answer: answer ?? '',
    versions,
    stopReason,
    stoppedBy,
    error,
    traces,
    request: sent,
    totals,
    ttftMs,
    totalMs: clock() - armStarted,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
