/**
 * Backpressure from the window to the runner's delta events. The renderer reports its paint lag
 * (`stream:pace`: from a delta's arrival to the frame showing it being painted, the worst over a
 * quarter second); the runner asks `intervalMs()` how long to wait between two `run:delta` events
 * of one arm. A window that keeps up gets the minimum (16 ms, one per frame): a lag of up to
 * `keepUpMs` (the frame a delta waits for, the frame that draws it and one to spare) is what
 * drawing costs, not a backlog, and spacing deltas further would only delay the text. A slower
 * window gets fewer, larger deltas — one per lag beyond that, up to `maxMs` — instead of a
 * backlog of small ones. The
 * interval rises at once with the lag and falls back by half every `relaxMs` without a slow report,
 * so a window that recovered (or closed) soon gets the minimum again.
 *
 * How the runner uses it: `createRunner({ deltaIntervalMs: () => pace.intervalMs() })`; in its
 * per-arm throttle (leading + trailing edge) it reads the interval each time it decides whether
 * to send now or arm the timer. Plain Node, no electron import.
 */
export interface StreamPaceOptions {
  minMs?: number;
  keepUpMs?: number;
  maxMs?: number;
  relaxMs?: number;
  clock?: () => number;
}

export interface StreamPace {
  /** The window's paint lag (ms); returns the interval now in force. */
  report(lagMs: number): number;
  /** The interval between two delta events of one arm (ms). */
  intervalMs(): number;
}

export function createStreamPace(options: StreamPaceOptions = {}): StreamPace {
  const minMs = options.minMs ?? 16;
  const keepUpMs = options.keepUpMs ?? 50;
  const maxMs = options.maxMs ?? 1000;
  const relaxMs = options.relaxMs ?? 500;
  const clock = options.clock ?? (() => performance.now());
  let level = minMs;
  let since = clock();

  const current = (): number => {
    const halvings = Math.floor((clock() - since) / relaxMs);
    return halvings <= 0 ? level : Math.max(minMs, level / 2 ** halvings);
  };

  return {
    report(lagMs) {
      const lag = Number.isFinite(lagMs) ? Math.min(maxMs, Math.max(minMs, lagMs - keepUpMs)) : minMs;
      const now = current();
      // Up at once; down no faster than halving per report, so one quick frame does not undo it.
      level = lag >= now ? lag : Math.max(lag, now / 2);
      since = clock();
      return Math.round(level);
    },
    intervalMs() {
      return Math.round(current());
    },
  };
}
