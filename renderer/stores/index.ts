import { create } from 'zustand';
import { createExperimentsSlice, type ExperimentsSlice } from './experiments';
import { createUiSlice, type UiSlice } from './ui';

export type AppState = UiSlice & ExperimentsSlice;

/** One store, composed of one slice per concern. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createUiSlice(...args),
  ...createExperimentsSlice(...args),
}));
