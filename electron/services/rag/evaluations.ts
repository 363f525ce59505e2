/**
 * Evaluations started from the evaluation screen (issue 11): one at a time per id, cancellable,
 * the finished results kept in memory (the last few) so they can be exported as CSV or HTML.
 * Pure Node: the run itself is evaluateQaSet with the app's models, judges and corpora.
 */
import { AppError } from '../../../shared/errors';
import type { EvalProgress, EvalResult } from '../../../shared/rag/qa';
import { evaluateQaSet, type EvaluateDeps, type EvaluateInput } from './evaluate';

const KEEP_FINISHED = 5;

export function createEvaluations(deps: EvaluateDeps) {
  const running = new Map<string, AbortController>();
  const finished = new Map<string, EvalResult>();

  return {
    async run(evaluationId: string, input: Omit<EvaluateInput, 'signal' | 'onProgress'>, onProgress: (progress: EvalProgress & { cancelled: boolean }) => void): Promise<EvalResult> {
      if (running.has(evaluationId)) throw new AppError('conflict', 'This evaluation is already running.');
      const controller = new AbortController();
      running.set(evaluationId, controller);
      let last: EvalProgress = { done: 0, total: 0, finished: false, error: null };
      try {
        const result = await evaluateQaSet(deps, {
          ...input,
          signal: controller.signal,
          onProgress: (progress) => {
            last = progress;
            onProgress({ ...progress, cancelled: false });
          },
        });
        finished.set(evaluationId, result);
        while (finished.size > KEEP_FINISHED) finished.delete(finished.keys().next().value!);
        return result;
      } catch (error) {
        const cancelled = controller.signal.aborted;
        onProgress({ ...last, finished: true, cancelled, error: cancelled ? null : error instanceof Error ? error.message : String(error) });
        if (cancelled) throw new AppError('cancelled', 'The evaluation was cancelled. Nothing was kept; run it again when you are ready.');
        throw error;
      } finally {
        running.delete(evaluationId);
      }
    },
    cancel(evaluationId: string): boolean {
      const controller = running.get(evaluationId);
      controller?.abort();
      return Boolean(controller);
    },
    result(evaluationId: string): EvalResult {
      const result = finished.get(evaluationId);
      if (!result) throw new AppError('not_found', 'That evaluation is no longer in memory (the app was restarted). Run it again to export it.');
      return result;
    },
    shutdown(): void {
      for (const controller of running.values()) controller.abort();
    },
  };
}

export type Evaluations = ReturnType<typeof createEvaluations>;
