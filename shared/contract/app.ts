import { z } from 'zod';
import { channel, event } from './channel';

export interface AppInfo {
  version: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
}

export const appChannels = {
  'app:info': channel(z.object({})).returns<AppInfo>(),
};

export const appEvents = {
  /** A plain notice for the status bar, e.g. a background task finished. */
  'app:notice': event<{ level: 'info' | 'warning' | 'error'; message: string }>(),
};
