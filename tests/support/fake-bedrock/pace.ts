/** Streaming pace and the cancellable waits that implement it. */
import { setTimeout as delay } from 'node:timers/promises';
import type { FakePace } from './types';

export interface Pace {
  firstTokenMs: number;
  /** 0 = as fast as possible. */
  intervalMs: number;
  wordsPerChunk: number;
}

/** Rule pace over default pace, field by field. */
export function resolvePace(defaults: FakePace, override: FakePace | undefined): Pace {
  const merged = { ...defaults, ...override };
  const tokensPerSecond = merged.tokensPerSecond ?? 0;
  return {
    firstTokenMs: Math.max(0, merged.firstTokenMs ?? 0),
    intervalMs: tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0,
    wordsPerChunk: Math.max(1, Math.floor(merged.wordsPerChunk ?? 1)),
  };
}

/** Waits `ms`; resolves false at once when the signal aborts (the timer is cleared, not left running). */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
