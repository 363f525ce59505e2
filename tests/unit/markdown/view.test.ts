// @vitest-environment jsdom
/**
 * The DOM side of streaming Markdown (markdown-view.ts): after any sequence of updates the
 * element holds exactly the HTML of a full render; plain-text mode keeps every character.
 */
import { describe, expect, it } from 'vitest';
import { MarkdownView, SEGMENT_BLOCKS, SEGMENT_CLASS, type MarkdownNote } from '../../../renderer/components/run/markdown-view';
import { MARKDOWN_LIMIT, renderSafeMarkdown } from '../../../renderer/components/run/markdown';
import { longMarkdown } from '../../support/long-answers';

function words(text: string, per: number): string[] {
  const all = text.match(/\S+\s*/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < all.length; i += per) chunks.push(all.slice(i, i + per).join(''));
  return chunks;
}

/** The root's HTML with the block groups (markdown-view.ts) unwrapped: what a full render gives. */
function unwrapped(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement;
  for (const group of Array.from(copy.querySelectorAll(`:scope > .${SEGMENT_CLASS}`))) group.replaceWith(...Array.from(group.childNodes));
  return copy.innerHTML;
}

describe('the streaming Markdown view in a DOM', () => {
  it('a 20 KB answer streamed in 3-word chunks ends with exactly the full render', async () => {
    const text = longMarkdown(1, 20_000);
    const root = document.createElement('div');
    const view = new MarkdownView(root, () => undefined);
    let sofar = '';
    for (const chunk of words(text, 3)) {
      sofar += chunk;
      view.show(sofar, true);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // a throttled update lands
    expect(unwrapped(root)).toBe(renderSafeMarkdown(sofar));
    view.show(text, false);
    expect(unwrapped(root)).toBe(renderSafeMarkdown(text));
  }, 120_000);

  it('a long answer keeps its finished blocks in place, in a few groups, so a new word does not touch them', () => {
    const text = longMarkdown(2, 50_000);
    const root = document.createElement('div');
    const view = new MarkdownView(root, () => undefined);
    const chunks = words(text, 40);
    let sofar = '';
    let early: Element | null = null;
    for (const chunk of chunks) {
      sofar += chunk;
      view.show(sofar, false); // not paced: every update lands at once
      early ??= root.querySelector(`.${SEGMENT_CLASS} h2`);
    }
    expect(unwrapped(root)).toBe(renderSafeMarkdown(text));
    // the first section heading is still the node first shown, never re-created
    expect(early && root.contains(early)).toBe(true);
    expect(root.querySelector('h2')).toBe(early);
    const blocks = root.querySelectorAll(`:scope > .${SEGMENT_CLASS} > *`).length;
    expect(blocks).toBeGreaterThan(500);
    // the root holds a group per SEGMENT_BLOCKS finished blocks and the block being written
    expect(root.children.length).toBeLessThanOrEqual(Math.ceil(blocks / SEGMENT_BLOCKS) + 2);
    for (const group of Array.from(root.querySelectorAll(`:scope > .${SEGMENT_CLASS}`))) expect(group.children.length).toBeLessThanOrEqual(SEGMENT_BLOCKS);
  }, 120_000);

  it('past the limit: plain text, every character, with a note', () => {
    const notes: MarkdownNote[] = [];
    const root = document.createElement('div');
    const view = new MarkdownView(root, (note) => notes.push(note));
    const text = '**x** '.repeat(MARKDOWN_LIMIT / 6 + 10);
    view.show(text.slice(0, 1000), false);
    view.show(text, false);
    view.show(text + ' tail', false);
    expect(root.textContent).toBe(text + ' tail');
    expect(root.querySelector('strong')).toBeNull();
    expect(notes.at(-1)).toMatchObject({ reason: 'size' });
  });
});
