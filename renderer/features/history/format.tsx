import { labLabel, shortModelName, techniqueLabel } from '../../../shared/labels';
import type { ReactNode } from 'react';
import { MATCH_CLOSE, MATCH_OPEN } from '../../../shared/contract/history';
import type { RunStatus } from '../../../shared/domain';

/**
 * A search snippet as React nodes: text between the match markers becomes <mark>, everything
 * is a text node (no innerHTML, so model text can never become markup).
 */
export function Highlighted({ text }: { text: string }): ReactNode {
  const parts: ReactNode[] = [];
  let rest = text;
  let key = 0;
  while (rest.length > 0) {
    const open = rest.indexOf(MATCH_OPEN);
    if (open === -1) {
      parts.push(rest.replaceAll(MATCH_CLOSE, ''));
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open).replaceAll(MATCH_CLOSE, ''));
    const close = rest.indexOf(MATCH_CLOSE, open + 1);
    const end = close === -1 ? rest.length : close;
    parts.push(<mark key={key++}>{rest.slice(open + 1, end).replaceAll(MATCH_OPEN, '')}</mark>);
    rest = close === -1 ? '' : rest.slice(close + 1);
  }
  return <>{parts}</>;
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const DATE = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function relativeTime(at: number, now = Date.now()): string {
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return RELATIVE.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return RELATIVE.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 7) return RELATIVE.format(-days, 'day');
  return DATE.format(at);
}

export function fullTime(at: number): string {
  return DATE_TIME.format(at);
}

export const RUN_STATUS_LABEL: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export function StatusChip({ status }: { status: RunStatus }) {
  return <span className={`hx-status hx-status--${status}`}>{RUN_STATUS_LABEL[status]}</span>;
}

/** "anthropic.claude-3-haiku-20240307-v1:0" → "Claude 3 Haiku" (shared/labels.ts); show the full id in a title. */
export function shortModel(modelId: string): string {
  return shortModelName(modelId);
}

/** "loaded-assumptions" → "Loaded assumptions" */
export function prettyId(id: string): string {
  const spaced = id.replace(/[-_]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** A guided lab's title ("Bias guard on a hiring request"), or its id made readable when the lab is not shipped. */
export function labName(id: string): string {
  return labLabel(id);
}

/** A technique key's name: a built-in technique or a step kind ("PII check (local)"), else the id made readable. */
export function techniqueName(key: string): string {
  return techniqueLabel(key);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
