/**
 * Streaming backpressure: the window tells main how far behind its painting is, so the runner
 * sends fewer, larger `run:delta` events to a slow window (electron/services/streaming/pace.ts).
 */
import { z } from 'zod';
import { channel } from './channel';

export const streamingChannels = {
  /** The window's paint lag (ms, worst over the last quarter second); answers the delta interval now used. */
  'stream:pace': channel(z.object({ lagMs: z.number().finite().min(0).max(600_000) })).returns<{ intervalMs: number }>(),
};
