// @vitest-environment jsdom
/**
 * Citations in a grounded answer: `[n]` markers found in the text, turned into buttons in the
 * rendered answer with DOM calls only. Hostile output (HTML in the answer, links, code) stays inert.
 */
import { describe, expect, it } from 'vitest';
import { renderSafeMarkdown } from '../../../renderer/components/run/markdown';
import { decorateCitations } from '../../../renderer/features/rag/citations-dom';
import { splitCitations } from '../../../shared/rag/citations';

const sources = [{ title: '03-fee-schedule.pdf · p. 2' }, { title: '01-accounts.md' }, { title: '02-cards.md' }];

function rendered(markdown: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = renderSafeMarkdown(markdown);
  return root;
}

describe('splitCitations', () => {
  it('finds single, adjacent and listed markers and flags numbers past the sources', () => {
    expect(splitCitations('Fee is $35 [1][2], capped [1, 3]; see [7].', 3)).toEqual([
      { text: 'Fee is $35 ' },
      { text: '[1]', cite: 1, known: true },
      { text: '[2]', cite: 2, known: true },
      { text: ', capped ' },
      { text: '[1]', cite: 1, known: true },
      { text: '[3]', cite: 3, known: true },
      { text: '; see ' },
      { text: '[7]', cite: 7, known: false },
      { text: '.' },
    ]);
  });

  it('leaves brackets that are not citations alone', () => {
    expect(splitCitations('In [2024] the rate [a] was [0] or [x1].', 5)).toEqual([{ text: 'In [2024] the rate [a] was [0] or [x1].' }]);
  });
});

describe('decorateCitations', () => {
  it('turns markers into buttons naming the source, and a number past the sources into a warning', () => {
    const root = rendered('The overdraft fee is **$35** [1], at most three a day [1][2].\n\n- Cards arrive in 5 days [3]\n- Unknown [9]');
    expect(decorateCitations(root, sources)).toBe(5);
    const buttons = [...root.querySelectorAll('button.citation')];
    expect(buttons.map((b) => [b.textContent, b.getAttribute('aria-label'), (b as HTMLElement).dataset.cite])).toEqual([
      ['[1]', 'Source 1: 03-fee-schedule.pdf · p. 2', '1'],
      ['[1]', 'Source 1: 03-fee-schedule.pdf · p. 2', '1'],
      ['[2]', 'Source 2: 01-accounts.md', '2'],
      ['[3]', 'Source 3: 02-cards.md', '3'],
    ]);
    const unknown = root.querySelector('.citation--unknown')!;
    expect(unknown.tagName).toBe('SPAN');
    expect(unknown.getAttribute('title')).toBe('Cites source 9, but the model was given 3 sources.');
    // the text reads the same as before
    expect(root.textContent).toBe(rendered('The overdraft fee is **$35** [1], at most three a day [1][2].\n\n- Cards arrive in 5 days [3]\n- Unknown [9]').textContent);
    // a second pass finds nothing new
    expect(decorateCitations(root, sources)).toBe(0);
  });

  it('keeps hostile output inert: no element from the answer, no href, nothing inside code or links', () => {
    const root = rendered('<img src=x onerror="alert(1)">[1] `code [2]` [link [3]](https://example.com) <button onclick="x()">[1]</button>');
    decorateCitations(root, sources);
    expect(root.querySelector('img, script, [onerror], [onclick], [href]')).toBeNull();
    expect(root.querySelectorAll('button.citation')).toHaveLength(2);
    expect(root.querySelector('code')!.querySelector('.citation')).toBeNull();
    expect(root.querySelector('.md-link')!.querySelector('.citation')).toBeNull();
    for (const button of root.querySelectorAll('button.citation')) expect(button.getAttributeNames().sort()).toEqual(['aria-label', 'class', 'data-cite', 'title', 'type']);
  });

  it('decorates text added later (a streamed answer) through the nodes it is given', () => {
    const root = rendered('First part.');
    expect(decorateCitations(root, sources)).toBe(0);
    const paragraph = document.createElement('p');
    paragraph.textContent = 'Then the cap [2].';
    root.append(paragraph);
    expect(decorateCitations(paragraph, sources)).toBe(1);
    expect(root.querySelector('button.citation')!.textContent).toBe('[2]');
  });
});
