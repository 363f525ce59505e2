import type { StateCreator } from 'zustand';
import type { EvalProgressEvent } from '../../shared/contract/rag';
import type { RequestOf } from '../../shared/ipc';
import type { EvalResult } from '../../shared/rag/qa';
import { api, ApiError, errorMessage } from '../lib/api';
import type { UiSlice } from './ui';

/** A chunk to show in the Corpora screen (a citation clicked in an answer). */
export interface RagFocus {
  corpusId: string;
  chunkId: number;
  /** The question that retrieved it: its terms are marked in the passage. */
  question?: string;
}

/** The evaluation screen's run: kept here so it goes on (and is shown) when the screen is left and reopened. */
export interface EvaluationRun {
  id: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: EvalProgressEvent | null;
  result: EvalResult | null;
  error: string | null;
  /** What was asked for, for the summary line above the table. */
  questionCount: number;
  armLabels: string[];
}

export interface RagSlice {
  ragFocus: RagFocus | null;
  /** Opens the Corpora screen on this chunk. */
  openChunk(focus: RagFocus): void;
  clearRagFocus(): void;
  evaluation: EvaluationRun | null;
  startEvaluation(request: Omit<RequestOf<'rag:evaluate'>, 'evaluationId'>): Promise<void>;
  cancelEvaluation(): Promise<void>;
}

function newId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `eval-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export const createRagSlice: StateCreator<RagSlice & UiSlice, [], [], RagSlice> = (set, get) => ({
  ragFocus: null,
  openChunk(focus) {
    set({ ragFocus: focus });
    get().setView('corpora');
  },
  clearRagFocus() {
    set({ ragFocus: null });
  },
  evaluation: null,
  async startEvaluation(request) {
    if (get().evaluation?.status === 'running') return;
    const id = newId();
    const update = (patch: Partial<EvaluationRun>) => {
      const current = get().evaluation;
      if (current?.id === id) set({ evaluation: { ...current, ...patch } });
    };
    set({ evaluation: { id, status: 'running', progress: null, result: null, error: null, questionCount: request.set.items.length, armLabels: request.arms.map((arm) => arm.label) } });
    const off = api.on('rag:eval-progress', (progress) => {
      if (progress.evaluationId === id && !progress.finished) update({ progress });
    });
    try {
      const result = await api.call('rag:evaluate', { ...request, evaluationId: id });
      update({ status: 'done', result });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'cancelled') update({ status: 'cancelled', error: null });
      else update({ status: 'failed', error: errorMessage(caught) });
    } finally {
      off();
    }
  },
  async cancelEvaluation() {
    const current = get().evaluation;
    if (current?.status !== 'running') return;
    await api.call('rag:cancel-evaluation', { evaluationId: current.id });
  },
});
