/**
 * Puts IncrementalMarkdown's updates into a DOM element without touching what is finished:
 * frozen blocks are appended once, only the live block's nodes are replaced. Plain-text mode
 * (past the size limit, or when the text cannot be parsed) appends text in segments of about
 * 64 KB, so layout only redoes the last segment.
 *
 * Frozen blocks go into wrapper elements (`.md-seg`) of SEGMENT_BLOCKS blocks each: appending to
 * a long answer then lays out (and checks for paint) the root's few dozen segments and the last
 * one, not every block the answer has — with thousands of blocks in four columns, that walk made
 * each streamed frame cost tens of milliseconds of Layout and PrePaint. The wrappers have no box
 * of their own (no padding, border or formatting context), so margins collapse through them and
 * the answer looks the same; unwrapped, the HTML is exactly a full render's.
 *
 * Pace: a live block that is costly to redo (long tables, big lists) is redone at most at a rate
 * that keeps its share of the main thread small: after an update that took `cost` ms the next
 * waits at least 3 × cost (never longer than 250 ms). The last text always lands.
 */
import { splitInvisibles } from '../../../shared/invisibles';
import { IncrementalMarkdown, type MarkdownUpdate } from './markdown-stream';
import { MARKDOWN_LIMIT } from './markdown';

const PLAIN_SEGMENT = 64_000;
/** Finished blocks per wrapper (see above). */
export const SEGMENT_BLOCKS = 24;
export const SEGMENT_CLASS = 'md-seg';
const MAX_WAIT_MS = 250;

export type MarkdownNote = { reason: 'size' | 'error'; length: number } | null;

function fragmentOf(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html; // sanitized by markdown.ts (DOMPurify) before it gets here
  return template.content;
}

export class MarkdownView {
  private readonly engine = new IncrementalMarkdown();
  private liveNodes: ChildNode[] = [];
  private segment: HTMLElement | null = null;
  private segmentBlocks = 0;
  private plainSegment: HTMLElement | null = null;
  private plainSegmentLength = 0;
  private pending: { source: string; streaming: boolean } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private notBefore = 0;
  private note: MarkdownNote = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly onNote: (note: MarkdownNote) => void,
  ) {
    root.replaceChildren(); // a remount (React StrictMode) starts from an empty element
  }

  show(source: string, streaming: boolean): void {
    this.pending = { source, streaming };
    const now = performance.now();
    if (!streaming || now >= this.notBefore) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.notBefore - now);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    const started = performance.now();
    this.apply(this.engine.update(pending.source, pending.streaming), pending.source.length);
    const cost = performance.now() - started;
    this.notBefore = performance.now() + Math.min(MAX_WAIT_MS, cost * 3);
  }

  private apply(update: MarkdownUpdate, length: number): void {
    const doc = this.root.ownerDocument;
    if (update.reset) {
      this.root.replaceChildren();
      this.liveNodes = [];
      this.segment = null;
      this.segmentBlocks = 0;
      this.plainSegment = null;
      this.plainSegmentLength = 0;
    }
    if (update.mode === 'plain') {
      this.setNote({ reason: update.reason, length });
      this.appendPlain(doc, update.text);
      return;
    }
    this.setNote(null);
    for (const node of this.liveNodes) node.remove();
    if (update.frozen) this.appendFrozen(doc, fragmentOf(doc, update.frozen));
    const live = fragmentOf(doc, update.live);
    this.liveNodes = Array.from(live.childNodes);
    this.root.append(live);
  }

  /** Finished blocks into the last segment, a new one after every SEGMENT_BLOCKS blocks. */
  private appendFrozen(doc: Document, fragment: DocumentFragment): void {
    for (const node of Array.from(fragment.childNodes)) {
      const block = node.nodeType !== 3 || (node.nodeValue ?? '').trim() !== '';
      if (block && (!this.segment || this.segmentBlocks >= SEGMENT_BLOCKS)) {
        this.segment = doc.createElement('div');
        this.segment.className = SEGMENT_CLASS;
        this.segmentBlocks = 0;
        this.root.append(this.segment);
      }
      if (!this.segment) {
        this.root.append(node); // whitespace before the first block
        continue;
      }
      this.segment.append(node);
      if (block) this.segmentBlocks += 1;
    }
  }

  private appendPlain(doc: Document, text: string): void {
    let rest = text;
    while (rest.length > 0) {
      if (!this.plainSegment || this.plainSegmentLength >= PLAIN_SEGMENT) {
        this.plainSegment = doc.createElement('div');
        this.plainSegment.className = 'markdown-plain';
        this.plainSegmentLength = 0;
        this.root.append(this.plainSegment);
      }
      const piece = rest.slice(0, PLAIN_SEGMENT - this.plainSegmentLength);
      rest = rest.slice(piece.length);
      for (const part of splitInvisibles(piece)) {
        if ('text' in part) {
          this.plainSegment.append(doc.createTextNode(part.text));
        } else {
          const mark = doc.createElement('span');
          mark.className = 'md-invisible';
          mark.title = part.title;
          mark.textContent = part.label;
          this.plainSegment.append(mark);
        }
      }
      this.plainSegmentLength += piece.length;
    }
  }

  private setNote(note: MarkdownNote): void {
    const same = note === this.note || (note && this.note && note.reason === this.note.reason);
    if (same) return;
    this.note = note;
    this.onNote(note);
  }
}

export function noteText(note: NonNullable<MarkdownNote>): string {
  return note.reason === 'size'
    ? `This answer is longer than ${MARKDOWN_LIMIT.toLocaleString('en-US')} characters, so it is shown as plain text (Markdown is not rendered). Copy keeps the full text.`
    : 'This answer could not be shown as Markdown, so it is shown as plain text. Copy keeps the full text.';
}
