/**
 * Descriptive statistics and intervals (issue 13), pure functions with no dependencies:
 * mean, median, a seeded percentile bootstrap interval and the Wilson score interval.
 * Seeded: the same data and seed always give the same interval, so a report reads the same
 * every time it is opened.
 */

/** Mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sample standard deviation (n − 1); 0 for one value, null for none. */
export function stdev(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  if (values.length < 2) return 0;
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * The q-quantile of sorted values, linear interpolation between order statistics (R type 7,
 * numpy's default).
 */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Interval {
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples; 2,000 by default. */
  resamples?: number;
  /** 0.95 by default. */
  level?: number;
  seed?: number;
  /** The statistic of a resample; the mean by default. */
  statistic?: (sample: readonly number[]) => number;
}

export const DEFAULT_SEED = 20_261_302;

/**
 * Percentile bootstrap interval of a statistic (the mean by default): resample with replacement
 * `resamples` times, take the (1 − level)/2 and (1 + level)/2 quantiles of the statistic.
 * null for no data; a single value gives a zero-width interval.
 */
export function bootstrapInterval(values: readonly number[], options: BootstrapOptions = {}): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const resamples = options.resamples ?? 2_000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const statistic = options.statistic;
  const stats = new Float64Array(resamples);
  const sample = new Array<number>(n);
  for (let b = 0; b < resamples; b += 1) {
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      const v = values[Math.floor(random() * n)]!;
      sample[i] = v;
      sum += v;
    }
    stats[b] = statistic ? statistic(sample) : sum / n;
  }
  stats.sort();
  const sorted = Array.from(stats);
  return { low: quantileSorted(sorted, (1 - level) / 2), high: quantileSorted(sorted, (1 + level) / 2) };
}

/** The normal quantile for a two-sided level (1.959964 for 95 %), Acklam's approximation. */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The Wilson score interval of a proportion `passes / n` (null for n = 0). */
export function wilsonInterval(passes: number, n: number, level = 0.95): Interval | null {
  if (n <= 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = passes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
