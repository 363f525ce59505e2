import { useEffect } from 'react';

/** Binds "Mod+key" shortcuts (Mod is Cmd on macOS, Ctrl elsewhere) while mounted. */
export function useShortcuts(bindings: Record<string, () => void>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.metaKey || event.ctrlKey) || event.altKey) return;
      const action = bindings[`Mod+${event.key.toLowerCase()}`];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [bindings]);
}
