import type { StateCreator } from 'zustand';
import type { RequestOf } from '../../shared/ipc';
import type { RunScores, ScoreProgress } from '../../shared/scores/types';
import { api, errorMessage } from '../lib/api';

export interface ScoresSlice {
  scoresByRun: Record<string, RunScores>;
  scoreProgress: Record<string, ScoreProgress>;
  scoreErrors: Record<string, string | null>;
  /** Loads a run's scores once (and keeps them fresh through score events). */
  watchScores(runId: string): void;
  reloadScores(runId: string): Promise<void>;
  scoreRun(request: RequestOf<'scores:run'>): Promise<void>;
  cancelScoring(runId: string): Promise<void>;
  rate(request: RequestOf<'scores:rate'>): Promise<void>;
}

let subscribed = false;
/** Runs whose scores are being fetched: the score cards of every arm and the scores bar all ask at once. */
const loading = new Set<string>();

export const createScoresSlice: StateCreator<ScoresSlice> = (set, get) => {
  function subscribe() {
    if (subscribed || !window.parallax) return;
    subscribed = true;
    api.on('scores:progress', (progress) => {
      set((state) => ({ scoreProgress: { ...state.scoreProgress, [progress.runId]: progress } }));
    });
    api.on('scores:changed', ({ runId }) => {
      if (get().scoresByRun[runId]) void get().reloadScores(runId);
    });
  }

  const setError = (runId: string, error: unknown) =>
    set((state) => ({ scoreErrors: { ...state.scoreErrors, [runId]: error === null ? null : errorMessage(error) } }));

  return {
    scoresByRun: {},
    scoreProgress: {},
    scoreErrors: {},
    watchScores(runId) {
      subscribe();
      if (get().scoresByRun[runId] || loading.has(runId)) return;
      loading.add(runId);
      void get()
        .reloadScores(runId)
        .finally(() => loading.delete(runId));
    },
    async reloadScores(runId) {
      try {
        const scores = await api.call('scores:get', { runId });
        set((state) => ({ scoresByRun: { ...state.scoresByRun, [runId]: scores } }));
      } catch (error) {
        setError(runId, error);
      }
    },
    async scoreRun(request) {
      setError(request.runId, null);
      try {
        const scores = await api.call('scores:run', request);
        set((state) => ({ scoresByRun: { ...state.scoresByRun, [request.runId]: scores } }));
      } catch (error) {
        setError(request.runId, error);
      }
    },
    async cancelScoring(runId) {
      await api.call('scores:cancel', { runId });
    },
    async rate(request) {
      try {
        const scores = await api.call('scores:rate', request);
        set((state) => ({ scoresByRun: { ...state.scoresByRun, [request.runId]: scores }, scoreErrors: { ...state.scoreErrors, [request.runId]: null } }));
      } catch (error) {
        setError(request.runId, error);
      }
    },
  };
};
