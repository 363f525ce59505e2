import type { StateCreator } from 'zustand';

/** In shortcut order (Mod+1 …): newer screens come last so the older shortcuts keep their numbers. */
export const VIEWS = ['labs', 'compare', 'history', 'settings', 'corpora', 'batch', 'evaluate'] as const;
export type View = (typeof VIEWS)[number];
export type ThemePreference = 'system' | 'light' | 'dark';

export interface UiSlice {
  view: View;
  theme: ThemePreference;
  setView(view: View): void;
  setTheme(theme: ThemePreference): void;
}

const THEME_KEY = 'parallax.theme';

function viewFromHash(): View {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'labs';
}

function storedTheme(): ThemePreference {
  const value = window.localStorage.getItem(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export const createUiSlice: StateCreator<UiSlice> = (set) => ({
  view: viewFromHash(),
  theme: storedTheme(),
  setView(view) {
    if (window.location.hash !== `#/${view}`) window.history.replaceState(null, '', `#/${view}`);
    set({ view });
  },
  setTheme(theme) {
    window.localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
});
