import { z } from 'zod';
import { channel, event } from './channel';

export interface AppInfo {
  version: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
}

/** The debug switches of Settings › Troubleshooting (kept by the shell between launches). */
export const DebugSettings = z.object({
  /** DevTools in a packaged build (a development build always has them). */
  devTools: z.boolean(),
  /** Prompts, outputs and each request's timing in the log file. */
  verboseLogging: z.boolean(),
});
export type DebugSettings = z.infer<typeof DebugSettings>;

export interface DebugState extends DebugSettings {
  /** Where the log files are. */
  logFolder: string;
  /** Whether this window can open DevTools now. */
  devToolsAvailable: boolean;
  /** Saved on, but this window was opened without them: they come with the next start. */
  restartNeeded: boolean;
  /** A development build (DevTools always on), or an environment variable forcing a switch. */
  forced: { devTools: boolean; verboseLogging: boolean };
}

export const appChannels = {
  'app:info': channel(z.object({})).returns<AppInfo>(),
  'app:debug-get': channel(z.object({})).returns<DebugState>(),
  /** Saves the switches; the shell applies them at once where it can (logging, the menu). */
  'app:debug-save': channel(DebugSettings).returns<DebugState>(),
  /** Shows the log file in the file manager. */
  'app:reveal-logs': channel(z.object({})).returns<{ shown: boolean }>(),
};

/** The app menu's own commands (File and app menus); the renderer acts on each. */
export const APP_COMMANDS = ['new-comparison', 'import', 'export', 'settings'] as const;
export type AppCommand = (typeof APP_COMMANDS)[number];

/** A long task running off the main thread (integrity check, backup, search rebuild, big imports). */
export interface TaskProgress {
  /** One id per task run, so the renderer can tell two runs of the same kind apart. */
  taskId: string;
  /** What a person reads: "Checking the database", "Rebuilding the search index". */
  label: string;
  /** Steps done and in all (total null when not known). */
  done: number;
  total: number | null;
  state: 'running' | 'done' | 'failed';
}

export const appEvents = {
  /** A command chosen in the application menu (or its accelerator). */
  'app:command': event<{ command: AppCommand }>(),
  /** Progress of a long task; the last event of a task has state 'done' or 'failed'. */
  'app:progress': event<TaskProgress>(),
  /** A plain notice for the status bar, e.g. a background task finished. */
  'app:notice': event<{ level: 'info' | 'warning' | 'error'; message: string }>(),
};
