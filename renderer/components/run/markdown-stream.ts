/**
 * Incremental Markdown for streaming answers: only the block being written is parsed again;
 * finished blocks are lexed, rendered and sanitized once.
 *
 * How: the text is cut after the last blank line that ends a finished top-level block. Everything
 * before the cut is "frozen" (its HTML kept); the tail after it is lexed on each update. A
 * top-level block that is followed by a blank line and by another block cannot change when text
 * is appended (paragraphs, lists, quotes, tables end there; an open code fence or HTML block never
 * ends while unclosed, so it stays in the tail), so the frozen HTML plus the tail's HTML equals a
 * full render of the whole text (tests/unit/markdown/incremental.test.ts checks this at every cut
 * of a corpus). Two things are global in Markdown and switch this off for the rest of an answer:
 * link reference definitions (`[x]: https://…` changes earlier `[x]`) and carriage returns.
 *
 * Past MARKDOWN_LIMIT characters the answer is shown as plain text; a text marked cannot parse
 * (e.g. nesting deep enough to overflow the stack) falls back to plain text too.
 */
import type { Token } from 'marked';
import { lexMarkdown, MARKDOWN_LIMIT, renderSafeMarkdown, renderSafePlain, renderSafeTokens } from './markdown';

/** While streaming, a tail longer than this (one huge paragraph) is shown as plain text until it ends. */
export const LIVE_BLOCK_LIMIT = 64_000;

export type MarkdownUpdate =
  | {
      mode: 'markdown';
      /** Throw away everything shown (the text was replaced, not appended to). */
      reset: boolean;
      /** HTML of blocks that just finished: append it after what is frozen, before the live part. */
      frozen: string;
      /** HTML of the block(s) being written: replaces the previous live part. */
      live: string;
    }
  | { mode: 'plain'; reset: boolean; /** Text to append (all of it after a reset). */ text: string; reason: 'size' | 'error' };

function endsWithBlankLine(text: string, end: number): boolean {
  let i = end - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i -= 1;
  if (text[i] !== '\n') return false;
  i -= 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i -= 1;
  return text[i] === '\n';
}

/** After a list, a block that is still only a bullet or a number ("2", "-") may become its next item. */
const LIST_MARKER_PREFIX = /^ {0,3}(?:\d{1,9}[.)]?|[*+-])?[ \t]*$/;
function mayJoinList(tokens: readonly Token[], j: number): boolean {
  let before = j - 1;
  while (before >= 0 && tokens[before]!.type === 'space') before -= 1;
  return before >= 0 && tokens[before]!.type === 'list' && LIST_MARKER_PREFIX.test(tokens[j]!.raw);
}

export class IncrementalMarkdown {
  private source = '';
  /** Characters of `source` whose HTML is frozen. */
  private frozenEnd = 0;
  private frozenParts: string[] = [];
  private live = '';
  private mode: 'incremental' | 'whole' | 'plain' = 'incremental';
  private plainReason: 'size' | 'error' = 'size';
  private plainShown = 0;

  /** The HTML shown now (markdown modes); for tests and for a non-DOM consumer. */
  html(): string {
    return this.frozenParts.join('') + this.live;
  }

  get plain(): boolean {
    return this.mode === 'plain';
  }

  /** The new whole text of the answer; `streaming` lets a huge open block wait as plain text. */
  update(next: string, streaming = false): MarkdownUpdate {
    let reset = false;
    if (!(next.length >= this.source.length && next.startsWith(this.source))) {
      this.clear();
      reset = true;
    }
    this.source = next;
    if (this.mode !== 'plain' && next.length > MARKDOWN_LIMIT) return this.toPlain('size');
    if (this.mode === 'plain') {
      const text = next.slice(this.plainShown);
      this.plainShown = next.length;
      return { mode: 'plain', reset, text, reason: this.plainReason };
    }
    try {
      return this.mode === 'whole' ? this.whole(reset) : this.incremental(reset, streaming);
    } catch {
      return this.toPlain('error');
    }
  }

  private clear(): void {
    this.source = '';
    this.frozenEnd = 0;
    this.frozenParts = [];
    this.live = '';
    this.mode = 'incremental';
    this.plainShown = 0;
  }

  private toPlain(reason: 'size' | 'error'): MarkdownUpdate {
    this.mode = 'plain';
    this.plainReason = reason;
    this.frozenParts = [];
    this.live = '';
    this.plainShown = this.source.length;
    return { mode: 'plain', reset: true, text: this.source, reason };
  }

  private whole(reset: boolean): MarkdownUpdate {
    this.live = renderSafeMarkdown(this.source);
    return { mode: 'markdown', reset, frozen: '', live: this.live };
  }

  private incremental(reset: boolean, streaming: boolean): MarkdownUpdate {
    const tail = this.source.slice(this.frozenEnd);
    if (tail.includes('\r')) return this.switchToWhole();
    // A long tail while streaming (one huge paragraph, a long table): only the part up to its
    // last blank line is lexed to find finished blocks; what follows waits as plain text.
    const huge = streaming && tail.length > LIVE_BLOCK_LIMIT;
    const lastBlank = huge ? tail.lastIndexOf('\n\n') : -1;
    const lexed = huge ? (lastBlank >= 0 ? tail.slice(0, lastBlank + 2) : '') : tail;
    const tokens = lexMarkdown(lexed);
    if (Object.keys(tokens.links).length > 0 || tokens.some((t) => t.type === 'def')) return this.switchToWhole();

    // Offsets of each token in the tail; a raw that does not line up means: freeze nothing now.
    const starts: number[] = [];
    let offset = 0;
    let aligned = true;
    for (const token of tokens) {
      if (!lexed.startsWith(token.raw, offset)) {
        aligned = false;
        break;
      }
      starts.push(offset);
      offset += token.raw.length;
    }
    let cut = 0; // index of the first token that stays live
    if (aligned) {
      let last = tokens.length - 1;
      while (last >= 0 && tokens[last]!.type === 'space') last -= 1;
      for (let j = last; j >= 1; j -= 1) {
        if (tokens[j]!.type !== 'space' && endsWithBlankLine(lexed, starts[j]!) && !mayJoinList(tokens, j)) {
          cut = j;
          break;
        }
      }
    }
    let frozen = '';
    let liveStart = 0;
    if (cut > 0) {
      frozen = renderSafeTokens(tokens.slice(0, cut));
      this.frozenParts.push(frozen);
      liveStart = starts[cut]!;
      this.frozenEnd += liveStart;
    }
    const liveSource = tail.slice(liveStart);
    if (streaming && liveSource.length > LIVE_BLOCK_LIMIT) {
      this.live = renderSafePlain(liveSource, 'md-live-plain');
    } else if (!huge) {
      this.live = renderSafeTokens(tokens.slice(cut));
    } else {
      const liveTokens = lexMarkdown(liveSource);
      if (Object.keys(liveTokens.links).length > 0 || liveTokens.some((t) => t.type === 'def')) return this.switchToWhole();
      this.live = renderSafeTokens(liveTokens);
    }
    return { mode: 'markdown', reset, frozen, live: this.live };
  }

  private switchToWhole(): MarkdownUpdate {
    this.mode = 'whole';
    this.frozenParts = [];
    this.frozenEnd = 0;
    return this.whole(true);
  }
}
