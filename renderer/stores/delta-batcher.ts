/**
 * Coalesces `run:delta` events per animation frame: every delta that arrives before the next
 * frame is merged per arm and applied to the store in one update, so React renders (and the
 * Markdown view re-renders its live block) at most once a frame however fast events come.
 *
 * It also measures the window's paint lag — from a delta's arrival to the frame that shows it
 * being painted (requestAnimationFrame, then one task) — and reports the worst lag of each
 * quarter second through `onLag` (the store sends it to main as `stream:pace`, so a slow window
 * gets fewer, larger deltas). A hidden window gets no frames: a timer flushes instead.
 */
export interface Delta {
  runId: string;
  armIndex: number;
  text: string;
}

export interface DeltaBatcherOptions {
  /** Applies merged deltas (one per arm, text in arrival order). */
  apply(batch: Delta[]): void;
  /** Worst paint lag (ms) of the last report window. */
  onLag?(lagMs: number): void;
  reportEveryMs?: number;
  /** Flush even without a frame after this long (hidden window). */
  fallbackMs?: number;
}

export interface DeltaBatcher {
  push(delta: Delta): void;
  /** Applies what is pending now (before an arm's state change, to keep the order). */
  flush(): void;
}

export function createDeltaBatcher(options: DeltaBatcherOptions): DeltaBatcher {
  const reportEvery = options.reportEveryMs ?? 250;
  const fallbackMs = options.fallbackMs ?? 100;
  let pending = new Map<string, Delta>();
  let oldestAt = 0;
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let worstLag = 0;
  let reportTimer: ReturnType<typeof setTimeout> | null = null;

  const noteLag = (lag: number) => {
    if (!options.onLag) return;
    worstLag = Math.max(worstLag, lag);
    reportTimer ??= setTimeout(() => {
      reportTimer = null;
      const lagMs = worstLag;
      worstLag = 0;
      options.onLag?.(lagMs);
    }, reportEvery);
  };

  const afterPaint = (arrivedAt: number, inFrame: boolean) => {
    if (!options.onLag) return;
    const taskAfterFrame = () => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        noteLag(performance.now() - arrivedAt);
      };
      channel.port2.postMessage(null);
    };
    // Applied inside an animation-frame callback: this frame paints it, and a task posted now runs
    // after that paint. (Another requestAnimationFrame here would wait for the next frame and add
    // a whole frame to every lag, which paced a window that keeps up as if it were slow.)
    if (inFrame) taskAfterFrame();
    else requestAnimationFrame(taskAfterFrame);
  };

  const apply = (inFrame: boolean) => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = null;
    timer = null;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    const arrivedAt = oldestAt;
    pending = new Map();
    options.apply(batch);
    afterPaint(arrivedAt, inFrame);
  };
  const flush = () => apply(false);
  const onFrame = () => apply(true);

  return {
    push(delta) {
      const key = `${delta.runId}\u0000${delta.armIndex}`;
      const queued = pending.get(key);
      if (queued) queued.text += delta.text;
      else {
        if (pending.size === 0) oldestAt = performance.now();
        pending.set(key, { ...delta });
      }
      if (frame === null) frame = requestAnimationFrame(onFrame);
      timer ??= setTimeout(flush, fallbackMs);
    },
    flush,
  };
}
