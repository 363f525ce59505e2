import { useEffect } from 'react';
import type { ThemePreference } from '../stores/ui';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** Applies the chosen theme to <html data-theme>, following the OS while set to "system". */
export function useTheme(preference: ThemePreference): void {
  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const apply = () => {
      const resolved = preference === 'system' ? (media.matches ? 'dark' : 'light') : preference;
      document.documentElement.dataset.theme = resolved;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [preference]);
}
