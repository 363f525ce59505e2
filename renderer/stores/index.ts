import { create } from 'zustand';
import { createCompareSlice, type CompareSlice } from './compare';
import { createExperimentsSlice, type ExperimentsSlice } from './experiments';
import { createHistorySlice, type HistorySlice } from './history';
import { createRagSlice, type RagSlice } from './rag';
import { createScoresSlice, type ScoresSlice } from './scores';
import { createUiSlice, type UiSlice } from './ui';

export type AppState = UiSlice & ExperimentsSlice & CompareSlice & ScoresSlice & HistorySlice & RagSlice;

/** One store, composed of one slice per concern. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createUiSlice(...args),
  ...createExperimentsSlice(...args),
  ...createCompareSlice(...args),
  ...createScoresSlice(...args),
  ...createHistorySlice(...args),
  ...createRagSlice(...args),
}));
