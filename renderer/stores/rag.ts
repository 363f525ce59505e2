import type { StateCreator } from 'zustand';
import type { UiSlice } from './ui';

/** A chunk to show in the Corpora screen (a citation clicked in an answer). */
export interface RagFocus {
  corpusId: string;
  chunkId: number;
}

export interface RagSlice {
  ragFocus: RagFocus | null;
  /** Opens the Corpora screen on this chunk. */
  openChunk(focus: RagFocus): void;
  clearRagFocus(): void;
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
});
