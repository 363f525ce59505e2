/** Prints a benchmark's one JSON line, last on stdout (see shared/notes/bench.md). */
export function report(bench: string, figures: Record<string, number>, targets: Record<string, string> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, figures, targets })}\n`);
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
