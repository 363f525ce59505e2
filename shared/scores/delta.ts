/** How a mitigated arm's score moved against the baseline's, and whether that is good. */

export type DeltaDirection = 'better' | 'worse' | 'same' | 'neutral' | 'unknown';

export interface Delta {
  /** arm − baseline; null when either side has no value. */
  diff: number | null;
  direction: DeltaDirection;
}

/**
 * `higherIsBetter`: true / false for scores with a direction; null for figures with none (e.g.
 * output length), whose movement is shown as 'neutral'. Differences smaller than `epsilon` are 'same'.
 */
export function scoreDelta(
  baseline: number | null | undefined,
  arm: number | null | undefined,
  higherIsBetter: boolean | null,
  epsilon = 1e-9,
): Delta {
  if (baseline == null || arm == null || !Number.isFinite(baseline) || !Number.isFinite(arm)) {
    return { diff: null, direction: 'unknown' };
  }
  const diff = arm - baseline;
  if (Math.abs(diff) < epsilon) return { diff: 0, direction: 'same' };
  if (higherIsBetter === null) return { diff, direction: 'neutral' };
  return { diff, direction: diff > 0 === higherIsBetter ? 'better' : 'worse' };
}

/** "+0.25", "−1", "±0" — with a real minus sign; at most `digits` decimals. */
export function formatDiff(diff: number, digits = 2): string {
  if (diff === 0) return '±0';
  const factor = 10 ** digits;
  const rounded = Math.round(Math.abs(diff) * factor) / factor;
  const text = rounded === 0 ? `<${1 / factor}` : String(rounded);
  return `${diff > 0 ? '+' : '−'}${text}`;
}
