/**
 * The window's per-frame delta batching and the paint lag it reports to main (`stream:pace`).
 * Animation frames are driven by hand; MessageChannel is Node's own.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeltaBatcher, type Delta } from '../../../renderer/stores/delta-batcher';

let frames: Map<number, () => void>;
let nextFrame: number;
let now: number;

/** Runs the frame callbacks queued so far (those they queue wait for the next frame), at `at`. */
function runFrame(at: number) {
  now = at;
  const due = [...frames.entries()];
  frames.clear();
  for (const [, callback] of due) callback();
}
const aTask = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  frames = new Map();
  nextFrame = 1;
  now = 0;
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => {
    const id = nextFrame++;
    frames.set(id, callback);
    return id;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('delta batching per animation frame', () => {
  it('merges what arrives before a frame into one update per arm, in arrival order', () => {
    const applied: Delta[][] = [];
    const batcher = createDeltaBatcher({ apply: (batch) => applied.push(batch.map((d) => ({ ...d }))) });
    batcher.push({ runId: 'r', armIndex: 0, text: 'a' });
    batcher.push({ runId: 'r', armIndex: 1, text: 'x' });
    batcher.push({ runId: 'r', armIndex: 0, text: 'b' });
    expect(applied).toEqual([]);
    runFrame(16);
    expect(applied).toEqual([[{ runId: 'r', armIndex: 0, text: 'ab' }, { runId: 'r', armIndex: 1, text: 'x' }]]);
  });

  it('reports the lag of the frame that drew the deltas, not of the frame after it', async () => {
    const lags: number[] = [];
    const batcher = createDeltaBatcher({ apply: () => undefined, onLag: (lag) => lags.push(lag), reportEveryMs: 0 });
    now = 2;
    batcher.push({ runId: 'r', armIndex: 0, text: 'a' });
    runFrame(12); // the deltas are applied in this frame, which paints them
    await aTask();
    await aTask();
    expect(frames.size).toBe(0); // no second frame asked for just to measure
    expect(lags).toEqual([10]);
  });

  it('a flush outside a frame (a state change, a hidden window) measures up to the next frame', async () => {
    const lags: number[] = [];
    const batcher = createDeltaBatcher({ apply: () => undefined, onLag: (lag) => lags.push(lag), reportEveryMs: 0 });
    now = 5;
    batcher.push({ runId: 'r', armIndex: 0, text: 'a' });
    now = 7;
    batcher.flush();
    await aTask();
    expect(lags).toEqual([]);
    runFrame(21);
    await aTask();
    await aTask();
    expect(lags).toEqual([16]);
  });
});
