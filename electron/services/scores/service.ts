/**
 * Scoring runs: metrics without a model and judge-model evaluators, on a stored run (so an old
 * run can be re-scored without generating again), and semantic robustness (each arm's request sent
 * again with perturbed inputs), with progress events; human ratings; score settings and judge
 * prompts. Every scorer's failure is stored on that score alone.
 */
import { createHash } from 'node:crypto';
import type { RunDetail } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { JUDGE_IDS, JUDGES, type JudgeId, type JudgePrompt } from '../../../shared/scores/judges';
import { computeMetric, isScorableMetric, scorableMetricInfo, type ScorableMetricId } from '../../../shared/scores/metrics';
import {
  PERTURBATION_LABELS,
  perturbRequest,
  robustnessInputError,
  ROBUSTNESS_SCORER,
  scoreRobustness,
  type PerturbedRequests,
  type RobustnessDetails,
  type RobustnessSettings,
} from '../../../shared/scores/robustness';
import type { RunScores, Score, ScoreProgress, ScoreSettings, Thumb } from '../../../shared/scores/types';
import { EVALUATORS, evaluate, judgePair, type ConverseFn } from '../judges';
import type { NewScore, ScoreRepo } from './repo';

export interface ScoreServiceDeps {
  repo: ScoreRepo;
  getRun(id: string): RunDetail | undefined;
  /** The Bedrock service's converse; reads late so settings changes apply. */
  converse: ConverseFn;
  /** The default judge model from the Bedrock settings. */
  defaultJudgeModel(): string;
  /** Judge calls in flight at once for one run. */
  concurrency?: number;
  /** Perturbed-input calls in flight at once for one arm's robustness score. Default 2. */
  robustnessConcurrency?: number;
  onError?(error: unknown): void;
  /**
   * The run's one note (runs.note, kept by the history repository and indexed for search). The
   * rating panel shows and edits this same note; there is no separate rating note.
   */
  notes: {
    get(runId: string): string;
    set(runId: string, note: string): void;
  };
}

export interface ScoreRequest {
  metrics?: readonly string[];
  judges?: readonly JudgeId[];
  /** Semantic robustness: `robustness.count` model calls per arm. */
  robustness?: boolean;
  /** Arms to score; all arms with output when omitted. */
  arms?: readonly number[];
  /** Overrides of the stored settings for this job only (inputs and judge model). */
  inputs?: Partial<Pick<ScoreSettings, 'question' | 'reference' | 'context' | 'guidelines' | 'judgeModel' | 'robustness'>>;
  signal?: AbortSignal;
}

type Task = { scorer: string; armIndex: number; run(): Promise<NewScore> };

/** The last user message the baseline sent: what judges call "the question" by default. */
export function questionOf(run: RunDetail): string {
  const baseline = run.arms[0];
  const users = baseline?.request.messages.filter((message) => message.role === 'user') ?? [];
  return users.at(-1)?.text ?? '';
}

/** Fingerprint of the text(s) a score was computed from: the arm's output, plus the baseline's for pairwise. */
export function outputHash(run: RunDetail, armIndex: number, otherArmIndex: number | null): string | null {
  const arm = run.arms.find((a) => a.index === armIndex);
  if (!arm) return null;
  const other = otherArmIndex === null ? undefined : run.arms.find((a) => a.index === otherArmIndex);
  if (otherArmIndex !== null && !other) return null;
  return createHash('sha256')
    .update(other ? `${other.text}\u0000${arm.text}` : arm.text)
    .digest('hex')
    .slice(0, 32);
}

export async function runBounded(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, async () => {
    while (next < tasks.length) {
      const task = tasks[next]!;
      next += 1;
      await task();
    }
  });
  await Promise.all(workers);
}

/** Why a call failed, for the stored error: the app's own message when it has one. */
function failureMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export interface RobustnessCall {
  run: RunDetail;
  armIndex: number;
  settings: RobustnessSettings;
  reference: string;
  converse: ConverseFn;
  concurrency: number;
  signal: AbortSignal;
}

/**
 * The robustness score of one arm: its resolved request sent again, once per seeded perturbation
 * of the last user message (same model, system prompt, earlier turns and inference settings), at
 * most `concurrency` calls at a time; the original output is the one stored with the run. A failed
 * call is an error on this score (the remaining calls are stopped); an abort of the job rethrows.
 */
export async function scoreArmRobustness(call: RobustnessCall): Promise<NewScore> {
  const { run, settings } = call;
  const arm = run.arms.find((a) => a.index === call.armIndex)!;
  const base = { runId: run.id, armIndex: arm.index, otherArmIndex: null, kind: 'metric' as const, scorer: ROBUSTNESS_SCORER, prompt: null, modelId: arm.modelId, outputHash: outputHash(run, arm.index, null) };
  const fail = (error: string, details: unknown = null): NewScore => ({ ...base, value: null, passed: null, feedback: '', details, error });
  const inputError = robustnessInputError(settings, call.reference);
  if (inputError) return fail(inputError);
  let perturbed: PerturbedRequests;
  try {
    perturbed = perturbRequest(arm.request.messages, settings);
  } catch (error) {
    return fail(failureMessage(error));
  }
  const outputs: (string | null)[] = perturbed.inputs.map(() => null);
  const details = (): Omit<RobustnessDetails, 'werMean' | 'originalScore' | 'perScore' | 'perWer'> => ({
    kind: settings.kind,
    count: settings.count,
    seed: settings.seed,
    baseMetric: settings.baseMetric,
    compareWith: settings.compareWith,
    originalInput: perturbed.original,
    perturbedInputs: perturbed.inputs,
    perturbedOutputs: [...outputs],
  });
  // Stops the other calls at the first failure, and all of them when the job is stopped.
  const local = new AbortController();
  const onAbort = () => local.abort(call.signal.reason);
  if (call.signal.aborted) onAbort();
  else call.signal.addEventListener('abort', onAbort, { once: true });
  const failures: { index: number; error: unknown }[] = [];
  try {
    await runBounded(
      perturbed.messages.map((messages, index) => async () => {
        if (local.signal.aborted) return;
        try {
          const result = await call.converse(
            { modelId: arm.modelId, ...(arm.request.system ? { system: arm.request.system } : {}), messages, inference: arm.request.inference },
            { signal: local.signal },
          );
          outputs[index] = result.text;
        } catch (error) {
          if (local.signal.aborted) return;
          failures.push({ index, error });
          local.abort();
        }
      }),
      call.concurrency,
    );
  } finally {
    call.signal.removeEventListener('abort', onAbort);
  }
  if (call.signal.aborted) throw call.signal.reason ?? new AppError('cancelled', 'Scoring stopped.');
  const [failure] = failures;
  if (failure) {
    const { index, error } = failure;
    return fail(`The call for perturbed input ${index + 1} of ${settings.count} failed: ${failureMessage(error)}`, details());
  }
  const texts = outputs as string[];
  let summary: ReturnType<typeof scoreRobustness>;
  try {
    summary = scoreRobustness(settings, { original: arm.text, perturbed: texts }, call.reference);
  } catch (error) {
    return fail(failureMessage(error), details());
  }
  const { value, ...figures } = summary;
  return {
    ...base,
    value,
    passed: null,
    feedback: `Mean absolute change of ${scorableMetricInfo(settings.baseMetric).label} over ${settings.count} ${PERTURBATION_LABELS[settings.kind]} perturbations of the input (seed ${settings.seed}); mean word error rate of the outputs against the original output ${figures.werMean.toFixed(2)}. Lower is more robust.`,
    details: { ...details(), ...figures } satisfies RobustnessDetails,
    error: null,
  };
}

export function createScoreService(deps: ScoreServiceDeps) {
  const { repo } = deps;
  const listeners = new Set<(progress: ScoreProgress) => void>();
  const active = new Map<string, AbortController>();

  function emit(progress: ScoreProgress): void {
    for (const listener of listeners) {
      try {
        listener(progress);
      } catch (error) {
        deps.onError?.(error);
      }
    }
  }

  function requireRun(runId: string): RunDetail {
    const run = deps.getRun(runId);
    if (!run) throw new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
    return run;
  }

  function get(runId: string): RunScores {
    const run = deps.getRun(runId);
    const scores: Score[] = repo.listScores(runId).map(({ outputHash: stored, ...score }) => ({
      ...score,
      stale: run !== undefined && stored !== null && stored !== outputHash(run, score.armIndex, score.otherArmIndex),
    }));
    return { runId, scores, ratings: { ...repo.ratings(runId), note: deps.notes.get(runId) } };
  }

  function buildTasks(run: RunDetail, request: ScoreRequest, settings: ScoreSettings, signal: AbortSignal): Task[] {
    const inputs = { ...settings, ...request.inputs };
    const question = inputs.question?.trim() ? inputs.question : questionOf(run);
    const guidelines = inputs.guidelines ?? [];
    const modelId = inputs.judgeModel ?? deps.defaultJudgeModel();
    const values = {
      question,
      context: inputs.context ?? '',
      reference: inputs.reference ?? '',
      guidelines: guidelines.map((guideline, index) => `${index + 1}. ${guideline}`).join('\n'),
    };
    const prompts = repo.prompts();
    const wanted = new Set(request.arms ?? run.arms.map((arm) => arm.index));
    // Arms still generating or that produced nothing are skipped (there is nothing to score).
    const arms = run.arms.filter((arm) => wanted.has(arm.index) && arm.status !== 'pending' && arm.status !== 'streaming' && arm.text.trim() !== '');
    const metricIds = [...new Set(request.metrics ?? [])].filter(isScorableMetric) as ScorableMetricId[];
    const judgeIds = [...new Set(request.judges ?? [])];
    const robustness = inputs.robustness ?? settings.robustness;
    const tasks: Task[] = [];
    const call = (judge: JudgeId) => ({ prompt: prompts[judge] as JudgePrompt, modelId, converse: deps.converse, signal });

    for (const arm of arms) {
      for (const metric of metricIds) {
        tasks.push({
          scorer: metric,
          armIndex: arm.index,
          run: async () => {
            const outcome = computeMetric(metric, arm.text, { reference: values.reference });
            return { runId: run.id, armIndex: arm.index, otherArmIndex: null, kind: 'metric', scorer: metric, prompt: null, modelId: null, outputHash: outputHash(run, arm.index, null), ...outcome };
          },
        });
      }
      if (request.robustness) {
        tasks.push({
          scorer: ROBUSTNESS_SCORER,
          armIndex: arm.index,
          run: () =>
            scoreArmRobustness({
              run,
              armIndex: arm.index,
              settings: robustness,
              reference: values.reference,
              converse: deps.converse,
              concurrency: deps.robustnessConcurrency ?? 2,
              signal,
            }),
        });
      }
      for (const judge of judgeIds) {
        if (judge === 'pairwise') {
          const baseline = run.arms[0];
          if (arm.index === 0 || !baseline) continue;
          tasks.push({
            scorer: judge,
            armIndex: arm.index,
            run: async () => {
              const outcome = await judgePair(call(judge), { question, baseline: baseline.text, arm: arm.text });
              const base = { runId: run.id, armIndex: arm.index, otherArmIndex: baseline.index, kind: 'judge' as const, scorer: judge, modelId: outcome.modelId, prompt: outcome.prompt, outputHash: outputHash(run, arm.index, baseline.index) };
              return outcome.ok
                ? { ...base, ...outcome.result, error: null }
                : { ...base, value: null, passed: null, feedback: '', details: outcome.details ? { reply: outcome.details } : null, error: outcome.error };
            },
          });
          continue;
        }
        const evaluator = EVALUATORS[judge];
        tasks.push({
          scorer: judge,
          armIndex: arm.index,
          run: async () => {
            const outcome = await evaluate(evaluator, { ...call(judge), values: { ...values, answer: arm.text } }, { guidelines });
            const base = { runId: run.id, armIndex: arm.index, otherArmIndex: null, kind: 'judge' as const, scorer: judge, modelId: outcome.modelId, prompt: outcome.prompt, outputHash: outputHash(run, arm.index, null) };
            return outcome.ok
              ? { ...base, ...outcome.result, error: null }
              : { ...base, value: null, passed: null, feedback: '', details: outcome.details ? { reply: outcome.details } : null, error: outcome.error };
          },
        });
      }
    }
    return tasks;
  }

  async function run(runId: string, request: ScoreRequest = {}): Promise<RunScores> {
    const detail = requireRun(runId);
    if (detail.status === 'running') throw new AppError('conflict', 'This run is still generating. Score it once it has finished.');
    if (active.has(runId)) throw new AppError('conflict', 'This run is already being scored. Wait for it to finish, or stop it first.');
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    active.set(runId, controller);
    try {
      const settings = repo.settings(detail.experimentId);
      const tasks = buildTasks(detail, request, settings, controller.signal);
      let done = 0;
      emit({ runId, done, total: tasks.length, finished: tasks.length === 0 });
      await runBounded(
        tasks.map((task) => async () => {
          if (controller.signal.aborted) return;
          let score: NewScore;
          try {
            score = await task.run();
          } catch (error) {
            if (controller.signal.aborted) return;
            deps.onError?.(error);
            score = {
              runId,
              armIndex: task.armIndex,
              otherArmIndex: task.scorer === 'pairwise' ? 0 : null,
              kind: isScorableMetric(task.scorer) || task.scorer === ROBUSTNESS_SCORER ? 'metric' : 'judge',
              scorer: task.scorer,
              value: null,
              passed: null,
              details: null,
              feedback: '',
              prompt: null,
              modelId: null,
              outputHash: null,
              error: `Scoring failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
            };
          }
          if (controller.signal.aborted) return;
          repo.saveScore(score);
          done += 1;
          emit({ runId, done, total: tasks.length, scorer: task.scorer, armIndex: task.armIndex, finished: done === tasks.length });
        }),
        deps.concurrency ?? 4,
      );
      if (controller.signal.aborted) {
        emit({ runId, done, total: tasks.length, finished: true });
        throw new AppError('cancelled', 'Scoring stopped. Scores finished before you stopped are kept.');
      }
      return get(runId);
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      active.delete(runId);
    }
  }

  return {
    get,
    run,

    /** The scores chosen to run automatically, on a run that just finished. Never throws. */
    async afterRun(runId: string): Promise<RunScores | null> {
      try {
        const detail = deps.getRun(runId);
        if (!detail || detail.status === 'cancelled') return null;
        const settings = repo.settings(detail.experimentId);
        if (settings.autoMetrics.length === 0 && settings.autoJudges.length === 0 && !settings.autoRobustness) return null;
        return await run(runId, { metrics: settings.autoMetrics, judges: settings.autoJudges, robustness: settings.autoRobustness });
      } catch (error) {
        if (!(error instanceof AppError && (error.code === 'conflict' || error.code === 'cancelled'))) deps.onError?.(error);
        return null;
      }
    },

    cancel(runId: string): boolean {
      const controller = active.get(runId);
      controller?.abort();
      return controller !== undefined;
    },

    /** Stops all scoring at once; nothing more is written (call before the database closes). */
    shutdown(): void {
      for (const controller of active.values()) controller.abort();
    },

    isScoring(runId: string): boolean {
      return active.has(runId);
    },

    rate(runId: string, rating: { armIndex?: number; thumb?: Thumb | null; stars?: number | null; preferredArm?: number | 'tie' | null; note?: string }): RunScores {
      const detail = requireRun(runId);
      const armCount = detail.arms.length;
      const check = (index: number) => {
        if (index < 0 || index >= armCount) throw new AppError('bad_input', `This run has ${armCount} arms; there is no arm ${index + 1}.`);
      };
      if (rating.thumb !== undefined || rating.stars !== undefined) {
        if (rating.armIndex === undefined) throw new AppError('bad_input', 'Say which arm the rating is for.');
        check(rating.armIndex);
        repo.rateArm(runId, rating.armIndex, { thumb: rating.thumb, stars: rating.stars });
      }
      if (rating.preferredArm !== undefined) {
        if (typeof rating.preferredArm === 'number') check(rating.preferredArm);
        repo.rateRun(runId, { preferredArm: rating.preferredArm });
      }
      if (rating.note !== undefined) deps.notes.set(runId, rating.note);
      return get(runId);
    },

    settings: (experimentId: string | null) => repo.settings(experimentId),
    saveSettings(experimentId: string | null, settings: ScoreSettings): ScoreSettings {
      repo.saveSettings(experimentId, settings);
      return repo.settings(experimentId);
    },

    prompts: () => repo.prompts(),
    savePrompt(judgeId: JudgeId, prompt: JudgePrompt | null) {
      if (!JUDGE_IDS.includes(judgeId)) throw new AppError('bad_input', `Unknown judge "${judgeId}".`);
      repo.savePrompt(judgeId, prompt);
      return repo.prompts();
    },

    defaults: { judges: JUDGES },

    onProgress(listener: (progress: ScoreProgress) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ScoreService = ReturnType<typeof createScoreService>;
