/**
 * "What this mitigation changed": a word diff of an arm's resolved request against the
 * baseline's, section by section (system prompt, each earlier turn, the prompt).
 *
 * Size guard, so the editor never freezes on a pasted CV or a long document: equal sections
 * are skipped by string comparison, the common prefix and suffix of a changed section are cut off
 * in linear time, and only the middle is diffed word by word (jsdiff) when it is short enough;
 * longer middles are shown as one removal and one addition. Long unchanged runs are collapsed.
 */
import { diffWords } from 'diff';
import type { ResolvedRequest } from '../../../shared/arms/resolve';

export const WORD_DIFF_LIMIT = 20_000;
export const KEEP_CONTEXT = 240;

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string } | { kind: 'collapsed'; words: number };

export interface SectionDiff {
  title: string;
  /** 'same' sections are listed only by title; the others carry parts. */
  status: 'same' | 'changed' | 'added' | 'removed';
  parts: DiffPart[];
}

export interface RequestDiff {
  sections: SectionDiff[];
  added: number;
  removed: number;
  changed: boolean;
}

function words(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Cuts the shared prefix/suffix at word boundaries. */
function split(a: string, b: string): { prefix: string; a: string; b: string; suffix: string } {
  const max = Math.min(a.length, b.length);
  let p = 0;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p += 1;
  while (p > 0 && !/\s/.test(a[p - 1]!)) p -= 1;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s += 1;
  while (s > 0 && !/\s/.test(a[a.length - s]!)) s -= 1;
  return { prefix: a.slice(0, p), a: a.slice(p, a.length - s), b: b.slice(p, b.length - s), suffix: a.slice(a.length - s) };
}

/** Keeps the start and end of a long unchanged run; the middle becomes a "N words unchanged" marker. */
function same(text: string, where: 'start' | 'middle' | 'end'): DiffPart[] {
  if (text.length <= KEEP_CONTEXT * 2 + 40) return text ? [{ kind: 'same', text }] : [];
  const head = where === 'start' ? '' : text.slice(0, KEEP_CONTEXT);
  const tail = where === 'end' ? '' : text.slice(text.length - KEEP_CONTEXT);
  const middle = text.slice(head.length, text.length - tail.length);
  return [...(head ? [{ kind: 'same' as const, text: head }] : []), { kind: 'collapsed', words: words(middle) }, ...(tail ? [{ kind: 'same' as const, text: tail }] : [])];
}

export function diffText(from: string, to: string): { parts: DiffPart[]; added: number; removed: number } {
  const cut = split(from, to);
  const parts: DiffPart[] = [...same(cut.prefix, 'start')];
  let added = 0;
  let removed = 0;
  if (cut.a.length + cut.b.length <= WORD_DIFF_LIMIT) {
    for (const change of diffWords(cut.a, cut.b)) {
      if (change.added) added += words(change.value);
      else if (change.removed) removed += words(change.value);
      parts.push(change.added ? { kind: 'added', text: change.value } : change.removed ? { kind: 'removed', text: change.value } : { kind: 'same', text: change.value });
    }
  } else {
    if (cut.a) parts.push({ kind: 'removed', text: cut.a });
    if (cut.b) parts.push({ kind: 'added', text: cut.b });
    removed += words(cut.a);
    added += words(cut.b);
  }
  parts.push(...same(cut.suffix, 'end'));
  return { parts, added, removed };
}

interface Section {
  title: string;
  text: string;
}

function sectionsOf(request: ResolvedRequest): Section[] {
  const turns = request.messages.slice(0, -1);
  return [
    { title: 'System prompt', text: request.system },
    ...turns.map((turn, i) => ({ title: `Earlier turn ${i + 1} (${turn.role === 'user' ? 'user' : 'assistant'})`, text: turn.text })),
    { title: 'Prompt', text: request.messages.at(-1)?.text ?? '' },
  ];
}

export function diffRequests(from: ResolvedRequest, to: ResolvedRequest): RequestDiff {
  const a = sectionsOf(from);
  const b = sectionsOf(to);
  const byTitle = new Map(a.map((s) => [s.title, s.text]));
  const titles = [...new Set([...a.map((s) => s.title), ...b.map((s) => s.title)])];
  // keep the request's order: system, turns, prompt
  titles.sort((x, y) => rank(x) - rank(y));
  const toByTitle = new Map(b.map((s) => [s.title, s.text]));
  let added = 0;
  let removed = 0;
  const sections = titles.map((title): SectionDiff => {
    const before = byTitle.get(title);
    const after = toByTitle.get(title);
    if (before === after) {
      const text = after ?? '';
      // unchanged text is still shown (the prompt, say), its middle collapsed when long
      return { title, status: 'same', parts: text.length > 2_000 ? [{ kind: 'same', text: text.slice(0, 1_000) }, { kind: 'collapsed', words: words(text.slice(1_000)) }] : text ? [{ kind: 'same', text }] : [] };
    }
    const result = diffText(before ?? '', after ?? '');
    added += result.added;
    removed += result.removed;
    const status = before === undefined || before === '' ? 'added' : after === undefined || after === '' ? 'removed' : 'changed';
    return { title, status, parts: result.parts };
  });
  return { sections, added, removed, changed: sections.some((s) => s.status !== 'same') };
}

function rank(title: string): number {
  if (title === 'System prompt') return -1;
  if (title === 'Prompt') return Number.MAX_SAFE_INTEGER;
  return Number(/\d+/.exec(title)?.[0] ?? 0);
}
