/** How the batch screen prints figures: rounded sensibly, intervals as "low to high". */
import type { Interval } from '../../../shared/stats';
import { formatStat } from '../../../shared/stats';

export function fmt(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : formatStat(value, digits);
}

export function fmtInterval(interval: Interval | null | undefined, digits = 2): string {
  return interval ? `${formatStat(interval.low, digits)} to ${formatStat(interval.high, digits)}` : '—';
}

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)} %`;
}

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function usd(value: number): string {
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}
