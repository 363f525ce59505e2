/**
 * Benches that compare times stamped in Node (the fake Bedrock) with times stamped in the page
 * must put both on one clock. `performance.timeOrigin + performance.now()` is NOT one clock
 * across processes: each process anchors its monotonic clock to the wall clock once (Node at
 * start, Chromium when the browser starts), and on a machine whose monotonic clock has drifted
 * from the wall clock (NTP slewing, a suspended or migrated VM) the two anchors differ by up to
 * seconds. That offset, not the app, is what made compare-overhead's paint_p95_ms read
 * 367–2,174 ms on some machines. So the offset is measured, NTP style: several round trips, the
 * one with the shortest round trip wins, offset = page time − the round trip's midpoint.
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';

export const nodeWall = (): number => performance.timeOrigin + performance.now();

/** page clock − Node clock (ms), and the round trip it was measured with. */
export async function pageClockOffset(page: Page, samples = 15): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < samples; i += 1) {
    const before = nodeWall();
    const pageNow = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = nodeWall();
    const rtt = after - before;
    if (rtt < best.rttMs) best = { offsetMs: pageNow - (before + after) / 2, rttMs: rtt };
  }
  return best;
}

/**
 * Installs, in the page, a note of whether the current task is a rendering update: the app
 * applies deltas inside requestAnimationFrame, and a DOM change made there is painted by that
 * same frame, so a probe must not wait for the next one. `window.__inFrame` is true from the
 * first animation-frame callback of a frame until the task after it.
 */
export const FRAME_FLAG_SCRIPT = `(() => {
  if (window.__inFrameInstalled) return;
  window.__inFrameInstalled = true;
  window.__inFrame = false;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => raf((time) => {
    if (!window.__inFrame) {
      window.__inFrame = true;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { window.__inFrame = false; channel.port1.close(); };
      channel.port2.postMessage(null);
    }
    callback(time);
  });
  /** Calls done(wallTime) once the frame holding the DOM changes made so far has been painted. */
  window.__afterPaint = (done) => {
    const stamp = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { channel.port1.close(); done(performance.timeOrigin + performance.now()); };
      channel.port2.postMessage(null);
    };
    if (window.__inFrame) stamp();
    else raf(stamp);
  };
})()`;
