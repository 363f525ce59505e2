import type { StateCreator } from 'zustand';
import type { Experiment, ExperimentInput, ExperimentSummary } from '../../shared/domain';
import { api, errorMessage } from '../lib/api';

export interface ExperimentsSlice {
  experiments: ExperimentSummary[];
  experimentsLoaded: boolean;
  experimentsError: string | null;
  loadExperiments(): Promise<void>;
  saveExperiment(input: ExperimentInput): Promise<Experiment>;
  deleteExperiment(id: string): Promise<void>;
}

export const createExperimentsSlice: StateCreator<ExperimentsSlice> = (set, get) => ({
  experiments: [],
  experimentsLoaded: false,
  experimentsError: null,
  async loadExperiments() {
    try {
      set({ experiments: await api.call('experiments:list', {}), experimentsLoaded: true, experimentsError: null });
    } catch (error) {
      set({ experimentsLoaded: true, experimentsError: errorMessage(error) });
    }
  },
  async saveExperiment(input) {
    const saved = await api.call('experiments:save', input);
    await get().loadExperiments();
    return saved;
  },
  async deleteExperiment(id) {
    await api.call('experiments:delete', { id });
    await get().loadExperiments();
  },
});
