/**
 * The application menu's commands (`app:command` events from the shell) acted on in the
 * renderer: New comparison, Import, Export, Settings. Without a bridge (plain browser) nothing.
 */
import { useEffect } from 'react';
import type { AppCommand } from '../../shared/contract/app';
import { useAppStore } from '../stores';
import { on } from './api';

export function runAppCommand(command: AppCommand): void {
  const state = useAppStore.getState();
  switch (command) {
    case 'new-comparison':
      state.newComparison();
      return;
    case 'settings':
      state.setView('settings');
      return;
    case 'import':
      state.setView('history');
      void state.importFile();
      return;
    case 'export': {
      state.setView('history');
      const selected = Object.keys(state.historySelection);
      const runIds = selected.length > 0 ? selected : state.historyOpenRunId ? [state.historyOpenRunId] : [];
      if (runIds.length > 0) void state.exportRuns({ runIds }, 'html');
      else state.showToast({ message: 'Select the runs to export here in History, then choose File › Export again.' });
      return;
    }
  }
}

export function useAppCommands(): void {
  useEffect(() => {
    if (!window.parallax) return undefined;
    return on('app:command', ({ command }) => runAppCommand(command));
  }, []);
}
