import type { StateCreator } from 'zustand';
import { ExperimentConfig, type BaselineArm, type RunDetail } from '../../shared/domain';
import { armFromTechnique } from '../../shared/arms/edit';
import { BUILT_IN_TECHNIQUES, findTechnique, type Technique } from '../../shared/techniques';
import { findLab, LAB_CORPORA, labDraft } from '../../shared/labs';
import { api, ApiError, errorMessage } from '../lib/api';
import type { BatchScores, BatchStatus } from '../../shared/batch';
import { MAX_COMPARE_REPEATS } from '../../shared/runs/repeats';
import type { UiSlice } from './ui';
import { createDeltaBatcher } from './delta-batcher';

export const DEFAULT_MODEL = 'amazon.nova-lite-v1:0';

export interface Draft {
  id?: string;
  name: string;
  description: string;
  labId: string | null;
  config: ExperimentConfig;
}

export interface CompareError {
  message: string;
  details?: string | undefined;
}

export interface ModelOption {
  id: string;
  name: string;
}

export interface CompareSlice {
  draft: Draft | null;
  draftDirty: boolean;
  /** The draft was edited since it was opened or saved: replacing it asks first. */
  draftTouched: boolean;
  /** Waiting for the user to say whether an unsaved draft may be replaced. */
  pendingReplace: PendingReplace | null;
  runsById: Record<string, RunDetail>;
  currentRunId: string | null;
  /** performance.now() when each arm of a live run started streaming. */
  armStarts: Record<string, Record<number, number>>;
  compareError: CompareError | null;
  starting: boolean;
  techniques: Technique[];
  models: ModelOption[];
  defaultModel: string;
  /** "Run each arm N times" (issue 13): 1 runs a normal comparison; more runs a batch of N samples with no dataset. */
  repeats: number;
  /** The repeated comparison Compare shows (a batch), instead of a single run. */
  currentBatchId: string | null;
  /** Its status while Compare shows it (running → the header offers Stop). */
  batchStatus: BatchStatus | null;
  /** The sample shown first when a repeated comparison opens (0-based repeat). */
  batchSample: number;

  newComparison(seed?: Partial<Draft>): void;
  /** A new draft from a guided lab, on the user's default generation model, then Compare. */
  openLab(labId: string): Promise<void>;
  openExperiment(id: string): Promise<void>;
  updateDraft(update: (draft: Draft) => Draft): void;
  saveDraft(): Promise<boolean>;
  runDraft(): Promise<void>;
  cancelRun(): Promise<void>;
  rerunArm(armIndex: number): Promise<void>;
  openRun(runId: string): Promise<void>;
  setRepeats(repeats: number): void;
  /** Shows a repeated comparison (its samples and their spread) in Compare. */
  openRepeats(batchId: string, sample?: number, seed?: Draft): void;
  setBatchSample(sample: number): void;
  restoreCompare(): Promise<void>;
  loadTechniques(): Promise<void>;
  loadModels(): Promise<void>;
  setCompareError(error: unknown): void;
  /** Runs `proceed` now, or after the user agrees to replace an edited, unsaved draft. */
  guardDraft(what: string, proceed: () => void): void;
  resolveReplace(choice: 'save' | 'discard' | 'cancel'): Promise<void>;
}

export interface PendingReplace {
  /** What replaces the draft, e.g. 'the lab "Loaded assumptions"'. */
  what: string;
  proceed(): void;
}

const SESSION_KEY = 'parallax.compare';

function toError(error: unknown): CompareError {
  return error instanceof ApiError ? { message: error.message, details: error.details } : { message: errorMessage(error) };
}

export function defaultDraft(modelId: string, seed: Partial<Draft> = {}): Draft {
  const baseline: BaselineArm = {
    mode: 'baseline',
    label: 'Baseline',
    modelId,
    inference: { temperature: 0.5, maxTokens: 512 },
    system: '',
    history: [],
    template: 'Write a short description of a typical ${role}.',
  };
  const guard = findTechnique(BUILT_IN_TECHNIQUES, 'bias-guard')!;
  return {
    name: 'Untitled comparison',
    description: '',
    labId: null,
    config: { variables: [{ name: 'role', value: 'nurse' }], arms: [baseline, armFromTechnique(guard)] },
    ...seed,
  };
}

function remember(state: { draft: Draft | null; currentRunId: string | null; currentBatchId?: string | null; repeats?: number }) {
  try {
    window.localStorage.setItem(SESSION_KEY, JSON.stringify({ draft: state.draft, runId: state.currentRunId, batchId: state.currentBatchId ?? null, repeats: state.repeats ?? 1 }));
  } catch {
    // storage full or unavailable: the run is in the database anyway
  }
}

export const createCompareSlice: StateCreator<CompareSlice & UiSlice, [], [], CompareSlice> = (set, get) => {
  let subscribed = false;
  const subscribe = () => {
    if (subscribed || !window.parallax) return;
    subscribed = true;
    // Deltas (already throttled by main, paced by this window's paint lag) are merged per arm
    // and applied once per animation frame: delta-batcher.ts.
    const deltas = createDeltaBatcher({
      apply: (batch) =>
        set((s) => {
          const runsById = { ...s.runsById };
          for (const delta of batch) {
            const run = runsById[delta.runId];
            const arm = run?.arms[delta.armIndex];
            if (!run || !arm) continue;
            const arms = run.arms.slice();
            arms[delta.armIndex] = { ...arm, text: arm.text + delta.text, status: arm.status === 'pending' ? 'streaming' : arm.status };
            runsById[run.id] = { ...run, arms };
          }
          return { runsById };
        }),
      onLag: (lagMs) => void api.call('stream:pace', { lagMs: Math.min(600_000, Math.round(lagMs)) }).catch(() => undefined),
    });
    const applyDeltas = deltas.flush;
    api.on('run:delta', (payload) => deltas.push(payload));
    api.on('run:started', ({ run }) => {
      applyDeltas();
      set((s) => {
        // A re-run of one arm: only that arm restarts; the others keep what this window shows
        // (the database copy of a still-streaming arm may lag behind by one save interval).
        const shown = s.runsById[run.id];
        const merged = shown ? { ...run, arms: run.arms.map((arm) => (arm.status === 'pending' ? arm : (shown.arms[arm.index] ?? arm))) } : run;
        const runsById = { ...s.runsById, [run.id]: merged };
        const starts = { ...(s.armStarts[run.id] ?? {}) };
        for (const arm of run.arms) if (arm.status === 'pending') starts[arm.index] = performance.now();
        return { runsById, armStarts: { ...s.armStarts, [run.id]: starts } };
      });
    });
    api.on('run:arm', (update) => {
      applyDeltas(); // update.text already includes them; keep the order
      set((s) => {
        const run = s.runsById[update.runId];
        const arm = run?.arms[update.armIndex];
        if (!run || !arm) return {};
        const arms = run.arms.slice();
        arms[update.armIndex] = { ...arm, status: update.status, stopReason: update.stopReason, error: update.error, metrics: update.metrics, text: update.text, ...(update.versions ? { versions: update.versions } : {}), ...(update.stoppedBy ? { stoppedBy: update.stoppedBy } : {}) };
        return { runsById: { ...s.runsById, [run.id]: { ...run, arms } } };
      });
    });
    api.on('run:step', ({ runId, armIndex, step }) => {
      // the timeline above the answer (components/steps); a re-run's plan replaces the old steps
      set((s) => {
        const run = s.runsById[runId];
        const arm = run?.arms[armIndex];
        if (!run || !arm) return {};
        const steps = step.status === 'pending' && step.index === 0 ? [] : (arm.steps ?? []).slice();
        steps[step.index] = step;
        const arms = run.arms.slice();
        arms[armIndex] = { ...arm, steps };
        return { runsById: { ...s.runsById, [runId]: { ...run, arms } } };
      });
    });
    api.on('batch:progress', (progress) => {
      if (progress.batchId === get().currentBatchId) set({ batchStatus: progress.status });
    });
    api.on('run:finished', ({ runId, status }) => {
      set((s) => {
        const run = s.runsById[runId];
        if (!run) return {};
        return { runsById: { ...s.runsById, [runId]: { ...run, status, finishedAt: Date.now() } } };
      });
    });
  };

  return {
    draft: null,
    draftDirty: false,
    draftTouched: false,
    pendingReplace: null,
    runsById: {},
    currentRunId: null,
    armStarts: {},
    compareError: null,
    starting: false,
    techniques: [...BUILT_IN_TECHNIQUES],
    models: [],
    defaultModel: DEFAULT_MODEL,
    repeats: 1,
    currentBatchId: null,
    batchStatus: null,
    batchSample: 0,

    newComparison(seed) {
      subscribe();
      const what = seed?.labId ? 'this lab' : seed ? 'this comparison' : 'a new comparison';
      get().guardDraft(what, () => {
        const draft = defaultDraft(get().defaultModel, seed);
        set({ draft, draftDirty: true, draftTouched: false, currentRunId: null, currentBatchId: null, batchStatus: null, compareError: null });
        remember(get());
        get().setView('compare');
      });
    },

    guardDraft(what, proceed) {
      if (get().draft && get().draftTouched) set({ pendingReplace: { what, proceed } });
      else proceed();
    },

    async resolveReplace(choice) {
      const pending = get().pendingReplace;
      set({ pendingReplace: null });
      if (!pending || choice === 'cancel') return;
      if (choice === 'save' && !(await get().saveDraft())) {
        get().setView('compare'); // the error is shown there; the draft stays
        return;
      }
      set({ draftTouched: false });
      pending.proceed();
    },

    async openLab(labId) {
      const lab = findLab(labId);
      if (!lab) {
        set({ compareError: { message: `The guided lab "${labId}" is not part of this version of Parallax.` } });
        get().setView('compare');
        return;
      }
      let modelId = get().defaultModel;
      try {
        modelId = (await api.call('settings:get', {})).models.generation;
        set({ defaultModel: modelId });
      } catch {
        // keep the last known default
      }
      // A lab that retrieves opens with its corpus added from the shipped files (offline).
      let corpusId: string | undefined;
      let corpusProblem: string | null = null;
      if (lab.corpus) {
        try {
          corpusId = (await api.call('rag:add-sample', {})).id;
        } catch (error) {
          corpusProblem = `The lab's corpus (${LAB_CORPORA[lab.corpus].name}) could not be added: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      get().newComparison(labDraft(lab, modelId, corpusId));
      if (corpusProblem) set({ compareError: { message: corpusProblem } });
    },

    async openExperiment(id) {
      subscribe();
      if (get().draft && get().draftTouched) {
        get().guardDraft('this experiment', () => void get().openExperiment(id));
        return;
      }
      try {
        const experiment = await api.call('experiments:get', { id });
        set({
          draft: { id: experiment.id, name: experiment.name, description: experiment.description, labId: experiment.labId, config: experiment.config },
          draftDirty: false,
          draftTouched: false,
          currentRunId: null,
          currentBatchId: null,
          batchStatus: null,
          compareError: null,
        });
        remember(get());
        get().setView('compare');
      } catch (error) {
        set({ compareError: toError(error) });
        get().setView('compare');
      }
    },

    updateDraft(update) {
      const draft = get().draft;
      if (!draft) return;
      set({ draft: update(draft), draftDirty: true, draftTouched: true });
      remember(get());
    },

    async saveDraft() {
      const draft = get().draft;
      if (!draft) return false;
      try {
        const saved = await api.call('experiments:save', {
          ...(draft.id ? { id: draft.id } : {}),
          name: draft.name,
          description: draft.description,
          labId: draft.labId,
          config: draft.config,
        });
        set((s) => ({ draft: s.draft ? { ...s.draft, id: saved.id } : s.draft, draftDirty: false, draftTouched: false, compareError: null }));
        remember(get());
        return true;
      } catch (error) {
        set({ compareError: toError(error) });
        return false;
      }
    },

    async runDraft() {
      subscribe();
      const draft = get().draft;
      if (!draft || get().starting) return;
      const current = get().currentRunId;
      if (current && get().runsById[current]?.status === 'running') return;
      if (get().currentBatchId && get().batchStatus === 'running') return;
      set({ starting: true, compareError: null });
      const repeats = Math.min(MAX_COMPARE_REPEATS, Math.max(1, Math.round(get().repeats)));
      if (repeats > 1) {
        // N samples of every arm: a batch with no dataset (the batch scheduler, one mechanism),
        // scored with the scores the settings run after every comparison
        try {
          let scores: BatchScores = { metrics: [], judges: [] };
          try {
            const settings = await api.call('scores:settings-get', { experimentId: draft.id ?? null });
            scores = { metrics: settings.autoMetrics, judges: settings.autoJudges };
          } catch {
            // no automatic scores: the samples still run
          }
          const batch = await api.call('batches:start', {
            name: draft.name,
            experimentId: draft.id ?? null,
            config: draft.config,
            datasetId: null,
            repeats,
            scores,
          });
          set({ currentBatchId: batch.id, batchStatus: batch.status, batchSample: 0, currentRunId: null });
          remember(get());
        } catch (error) {
          set({ compareError: toError(error) });
        } finally {
          set({ starting: false });
        }
        return;
      }
      try {
        const run = await api.call('compare:run', {
          experimentId: draft.id ?? null,
          labId: draft.labId ?? null,
          title: draft.name,
          config: draft.config,
        });
        set((s) => {
          // keep only the run on screen: older live runs' text stays in the database
          const kept = s.runsById[run.id] ?? run;
          return { currentRunId: run.id, currentBatchId: null, batchStatus: null, runsById: { [run.id]: kept }, armStarts: { [run.id]: s.armStarts[run.id] ?? {} } };
        });
        remember(get());
      } catch (error) {
        set({ compareError: toError(error) });
      } finally {
        set({ starting: false });
      }
    },

    async cancelRun() {
      const batchId = get().currentBatchId;
      if (batchId) {
        try {
          const summary = await api.call('batches:cancel', { id: batchId });
          set({ batchStatus: summary.status });
        } catch (error) {
          set({ compareError: toError(error) });
        }
        return;
      }
      const runId = get().currentRunId;
      if (!runId) return;
      try {
        await api.call('compare:cancel', { runId });
      } catch (error) {
        set({ compareError: toError(error) });
      }
    },

    async rerunArm(armIndex) {
      subscribe();
      const runId = get().currentRunId;
      if (!runId) return;
      try {
        const run = await api.call('compare:rerun-arm', { runId, armIndex });
        set((s) => (s.runsById[runId] ? {} : { runsById: { ...s.runsById, [runId]: run } }));
      } catch (error) {
        set({ compareError: toError(error) });
      }
    },

    async openRun(runId) {
      subscribe();
      try {
        const run = await api.call('runs:get', { id: runId });
        set((s) => ({
          runsById: { ...s.runsById, [run.id]: run },
          currentRunId: run.id,
          currentBatchId: null,
          batchStatus: null,
          draft: s.draft ?? { name: run.title, description: '', labId: null, config: run.config, ...(run.experimentId ? { id: run.experimentId } : {}) },
        }));
        remember(get());
      } catch (error) {
        set({ compareError: toError(error), currentRunId: null });
        remember(get());
      }
    },

    setRepeats(repeats) {
      set({ repeats: Math.min(MAX_COMPARE_REPEATS, Math.max(1, Math.round(repeats) || 1)) });
      remember(get());
    },

    openRepeats(batchId, sample = 0, seed) {
      subscribe();
      set((s) => ({
        currentBatchId: batchId,
        batchStatus: null,
        batchSample: sample,
        currentRunId: null,
        compareError: null,
        // the editor keeps what it holds; with nothing open it takes the samples' configuration
        draft: s.draft ?? seed ?? null,
        ...(s.draft ? {} : { draftDirty: true, draftTouched: false }),
      }));
      remember(get());
      get().setView('compare');
    },

    setBatchSample(sample) {
      set({ batchSample: sample });
    },

    async restoreCompare() {
      subscribe();
      if (get().draft) return;
      let saved: { draft?: Draft | null; runId?: string | null; batchId?: string | null; repeats?: number } = {};
      try {
        saved = JSON.parse(window.localStorage.getItem(SESSION_KEY) ?? '{}') as typeof saved;
      } catch {
        saved = {};
      }
      // a draft kept by an older version holds arms in the old shape: upgraded as every parse does
      const config = saved.draft ? ExperimentConfig.safeParse(saved.draft.config) : null;
      if (saved.draft && config?.success) set({ draft: { ...saved.draft, config: config.data }, draftDirty: false, draftTouched: false });
      if (typeof saved.repeats === 'number') set({ repeats: Math.min(MAX_COMPARE_REPEATS, Math.max(1, Math.round(saved.repeats) || 1)) });
      if (saved.batchId) set({ currentBatchId: saved.batchId, currentRunId: null });
      else if (saved.runId) await get().openRun(saved.runId);
    },

    async loadTechniques() {
      try {
        set({ techniques: await api.call('techniques:list', {}) });
      } catch (error) {
        set({ compareError: toError(error) });
      }
    },

    async loadModels() {
      try {
        const settings = await api.call('settings:get', {});
        set({ defaultModel: settings.models.generation });
      } catch {
        // keep the built-in default
      }
      try {
        const catalog = await api.call('models:list', { modality: 'text' });
        set({ models: catalog.models.filter((m) => m.modality === 'text').map((m) => ({ id: m.id, name: `${m.name} (${m.provider})` })) });
      } catch {
        // the model field stays free text
      }
    },

    setCompareError(error) {
      set({ compareError: error === null ? null : toError(error) });
    },
  };
};
