/**
 * The debug switches (Settings › Troubleshooting): DevTools in a packaged build and verbose
 * logging. The shell owns them (they live in `<user data>/shell.json` beside the window's
 * bounds, read before the window opens) and applies them; the app passes its own control into
 * createServices. Without one (plain Node, the end-to-end harness) they are kept in the same
 * file and applied by the next start.
 */
import { join } from 'node:path';
import type { DebugSettings, DebugState } from '../../shared/contract/app';
import { LOG_FOLDER } from '../shell/log';
import { loadShellState, saveShellState } from '../shell/state';

export interface DebugControl {
  state(): DebugState;
  /** Saves the switches and applies what can change while running. */
  save(settings: DebugSettings): DebugState;
  /** Shows the log file in the file manager; false where there is none to show. */
  revealLogs(): boolean;
}

/** The switches kept in `dataDir`'s shell.json, applied at the next start. */
export function fileDebugControl(dataDir: string): DebugControl {
  const state = (): DebugState => {
    const saved = loadShellState(dataDir);
    return {
      devTools: saved.devTools,
      verboseLogging: saved.verboseLogging,
      logFolder: join(dataDir, LOG_FOLDER),
      devToolsAvailable: false,
      restartNeeded: saved.devTools,
      forced: { devTools: false, verboseLogging: false },
    };
  };
  return {
    state,
    save(settings) {
      saveShellState(dataDir, { ...loadShellState(dataDir), ...settings });
      return state();
    },
    revealLogs: () => false,
  };
}
