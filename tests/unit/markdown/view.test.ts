// @vitest-environment jsdom
/**
 * The DOM side of streaming Markdown (markdown-view.ts): after any sequence of updates the
 * element holds exactly the HTML of a full render; plain-text mode keeps every character.
 */
import { describe, expect, it } from 'vitest';
import { MarkdownView, type MarkdownNote } from '../../../renderer/components/run/markdown-view';
import { MARKDOWN_LIMIT, renderSafeMarkdown } from '../../../renderer/components/run/markdown';
import { longMarkdown } from '../../support/long-answers';

function words(text: string, per: number): string[] {
  const all = text.match(/\S+\s*/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < all.length; i += per) chunks.push(all.slice(i, i + per).join(''));
  return chunks;
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
    expect(root.innerHTML).toBe(renderSafeMarkdown(sofar));
    view.show(text, false);
    expect(root.innerHTML).toBe(renderSafeMarkdown(text));
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
