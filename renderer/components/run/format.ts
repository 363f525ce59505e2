import type { ArmStatus } from '../../../shared/domain';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatTokens(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(3)}`;
}

export const STATUS_LABEL: Record<ArmStatus, string> = {
  pending: 'Waiting',
  streaming: 'Streaming',
  completed: 'Done',
  cancelled: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

const STOP_REASONS: Record<string, string> = {
  end_turn: 'Finished',
  max_tokens: 'Hit max tokens',
  stop_sequence: 'Stop sequence',
  guardrail_intervened: 'Guardrail intervened',
  content_filtered: 'Content filtered',
  tool_use: 'Tool use',
  model_context_window_exceeded: 'Context window exceeded',
};

export function formatStopReason(reason: string | null): string {
  return reason === null ? '—' : (STOP_REASONS[reason] ?? reason);
}
