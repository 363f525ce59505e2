// @vitest-environment jsdom
/**
 * The streaming Markdown view (renderer/components/run/markdown-stream.ts) must show exactly
 * what a full render shows, at every point of a stream: each answer of the corpus is fed in
 * chunks and, after every chunk, the incremental HTML is compared with renderSafeMarkdown of
 * the text so far. Chunks are cut at every position (one character at a time) and in word-sized
 * pieces, so cuts land inside code fences, list items, links, tables and entities.
 */
import { describe, expect, it } from 'vitest';
import { IncrementalMarkdown, LIVE_BLOCK_LIMIT } from '../../../renderer/components/run/markdown-stream';
import { MARKDOWN_LIMIT, renderSafeMarkdown } from '../../../renderer/components/run/markdown';

const CORPUS: Record<string, string> = {
  paragraphs: 'A nurse is a trained professional.\n\nThey care for patients, **every day**, with _skill_.\n\nThird paragraph ends here.',
  headings: '# Title\n\nIntro text.\n\n## Section\nText right under it.\n\nSetext heading\n--------------\n\nAnother\n===\n\nend',
  codeFence:
    'Here is code:\n\n```ts\nconst a = 1;\n\nfunction f() {\n  return `<b>${a}</b>`;\n}\n```\n\nAfter the fence.\n\n~~~\nunterminated tilde fence\n\nstill code',
  lists:
    '- one\n- two\n  continued\n\n- loose three\n\n1. first\n2. second\n   - nested\n   - items\n\n* [ ] task\n* [x] done\n\nAfter list.\n\n- a\n\n  indented para in item\n\nend',
  links:
    'See [the docs](https://example.com/docs "Docs") and [bad](javascript:alert(1)) and <https://auto.example.com>.\n\nAlso https://bare.example.org/path?q=1 and ![img](https://evil.example/x.png).\n\n[split link\nacross lines](https://example.com/a)',
  quotes: '> quoted line\ncontinued lazily\n\n> second quote\n> > nested\n\nplain',
  table: '| Role | Trait |\n|------|:-----:|\n| nurse | care |\n| engineer | rigor |\n\nAfter table.\n\n| a |\n|---|',
  html: 'Raw <b>bold</b> and <script>alert(1)</script>\n\n<div onclick="x()">\n\nblock html\n\n</div>\n\n<!-- comment\n\nacross lines -->\n\n<img src=x onerror=alert(1)>',
  mixed:
    'Intro\n\n---\n\n***\n\nText with `code span` and ~~strike~~ and &amp; &lt;tag&gt; &copy;.\n\n    indented code\n\n    more\n\nLine with two spaces  \nbreak\n\nfinal',
  invisibles: 'Access \u202Eevil\u202C level\u200B here.\n\n`code \u2066x\u2069`\n\n```\nfence \u200D\uFEFF\n```',
  listsAcrossBlankLines: '1. a\n\n2. b\n\n10. c\n\n- x\n\n- y\n\n* z\n\n+ w\n\nafter\n\n1) p\n\n2) q',
  trailingBlank: 'para one\n\n\n\npara two\n\n',
};

function chunkEvery(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

function wordChunks(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function streamAndCompare(text: string, chunks: string[]): void {
  const view = new IncrementalMarkdown();
  let sofar = '';
  for (const chunk of chunks) {
    sofar += chunk;
    view.update(sofar, true);
    expect(view.html(), `after ${JSON.stringify(sofar.slice(-40))}`).toBe(renderSafeMarkdown(sofar));
  }
  view.update(text, false);
  expect(view.html()).toBe(renderSafeMarkdown(text));
}

describe('incremental Markdown equals a full render', () => {
  for (const [name, text] of Object.entries(CORPUS)) {
    it(`${name}: cut at every character`, () => streamAndCompare(text, chunkEvery(text, 1)));
    it(`${name}: cut in words and in 7-character pieces`, () => {
      streamAndCompare(text, wordChunks(text));
      streamAndCompare(text, chunkEvery(text, 7));
    });
  }

  it('all answers joined, streamed in words', () => {
    const text = Object.values(CORPUS).join('\n\n');
    streamAndCompare(text, wordChunks(text));
  });

  it('finished blocks are frozen: only the last block is rendered again', () => {
    const view = new IncrementalMarkdown();
    const first = view.update('# One\n\nfirst para\n\nsecond', true);
    expect(first.mode === 'markdown' && first.frozen).toContain('first para');
    const next = view.update('# One\n\nfirst para\n\nsecond and more', true);
    expect(next.mode).toBe('markdown');
    if (next.mode !== 'markdown') return;
    expect(next.reset).toBe(false);
    expect(next.frozen).toBe('');
    expect(next.live).toBe('<p>second and more</p>\n');
  });

  it('a link reference definition anywhere re-renders the whole answer, still equal', () => {
    const text = 'See [the guide][g] for more.\n\nMore text here.\n\n[g]: https://example.com/guide\n\nAfter.';
    streamAndCompare(text, wordChunks(text));
  });

  it('carriage returns and replaced text still render like a full render', () => {
    streamAndCompare('a\r\n\r\nb\r\nc\r\n\r\n- x\r\n- y', wordChunks('a\r\n\r\nb\r\nc\r\n\r\n- x\r\n- y'));
    const view = new IncrementalMarkdown();
    view.update('first answer\n\nmore', true);
    const replaced = view.update('other', true);
    expect(replaced.reset).toBe(true);
    expect(view.html()).toBe(renderSafeMarkdown('other'));
  });
});

describe('hostile output stays inert through the incremental path', () => {
  const HOSTILE = [
    '<script>window.pwned = 1</script>',
    '<img src=x onerror="window.pwned=1">',
    '[click](javascript:window.pwned=1)',
    '[data](data:text/html,<script>alert(1)</script>)',
    '<a href="https://evil.example" onclick="window.pwned=1">a</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg><script>alert(1)</script></svg>',
    '<style>body{display:none}</style>',
    '<form action="https://evil.example"><input type=submit></form>',
    '![x](https://tracker.example/pixel.png)',
    '[ok](https://example.com "t\\" onmouseover=\\"x")',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '```\n</code></pre><img src=x onerror=alert(1)>\n```',
    '<details open ontoggle=alert(1)>',
  ].join('\n\n');

  it('no script, handler, navigation or remote load survives any cut', () => {
    const view = new IncrementalMarkdown();
    let sofar = '';
    for (const chunk of chunkEvery(HOSTILE, 3)) {
      sofar += chunk;
      view.update(sofar, true);
      const html = view.html();
      expect(html).toBe(renderSafeMarkdown(sofar));
      const box = document.createElement('div');
      box.innerHTML = html;
      for (const element of box.querySelectorAll('*')) {
        expect(['script', 'iframe', 'img', 'style', 'form', 'svg', 'math', 'details']).not.toContain(element.localName);
        for (const attr of element.attributes) {
          expect(attr.name).not.toMatch(/^on|^href$|^src$|^action$|^style$/);
          if (attr.name === 'data-external-href') expect(attr.value).toMatch(/^https:\/\//);
        }
      }
    }
  });
});

describe('characters that change how text reads are shown', () => {
  it('bidi overrides and zero-width characters become visible labels, in text and code', () => {
    const html = renderSafeMarkdown('Access \u202Eevil\u202C and\u200Bhere `x\u2066y` ');
    const box = document.createElement('div');
    box.innerHTML = html;
    const marks = [...box.querySelectorAll('.md-invisible')];
    expect(marks.map((m) => m.textContent)).toEqual(['RLO', 'PDF', 'ZWSP', 'LRI']);
    expect(marks[0]!.getAttribute('title')).toBe('Right-to-left override (U+202E)');
    expect(box.textContent).not.toMatch(/[\u202E\u202C\u200B\u2066]/);
  });
});

describe('answers of any size', () => {
  it('past the limit an answer is plain text, appended as it streams', () => {
    const view = new IncrementalMarkdown();
    const big = '# x\n\n' + 'word '.repeat(MARKDOWN_LIMIT / 5);
    const first = view.update(big, true);
    expect(first).toMatchObject({ mode: 'plain', reset: true, reason: 'size' });
    const next = view.update(big + ' more', true);
    expect(next).toEqual({ mode: 'plain', reset: false, text: ' more', reason: 'size' });
  });

  it('nesting deep enough to overflow the parser falls back to plain text instead of throwing', () => {
    const deep = '>'.repeat(20_000) + ' deep';
    const view = new IncrementalMarkdown();
    const update = view.update(deep, false);
    expect(['markdown', 'plain']).toContain(update.mode);
    if (update.mode === 'plain') expect(update.reason).toBe('error');
  });

  it('a huge open paragraph waits as plain text while streaming, then renders as Markdown', () => {
    const line = '**bold** ' + 'x'.repeat(LIVE_BLOCK_LIMIT + 10);
    const view = new IncrementalMarkdown();
    view.update(line, true);
    expect(view.html()).toContain('md-live-plain');
    view.update(line, false);
    expect(view.html()).toBe(renderSafeMarkdown(line));
  });
});

describe('long tails while streaming', () => {
  it('a document with a 70 KB paragraph: finished blocks stay exact, the open giant block waits as plain text, the end is exact', () => {
    const before = Array.from({ length: 40 }, (_, i) => `## Part ${i}\n\nSome **text** for part ${i}.\n\n- a\n- b`).join('\n\n');
    const giant = 'long **bold** words and `code` here. '.repeat(1_900);
    const after = '\n\n```js\nconst after = 1;\n\nmore();\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nThe end.';
    const text = `${before}\n\n${giant}${after}`;
    const view = new IncrementalMarkdown();
    let sofar = '';
    let step = 0;
    let sawPlain = false;
    for (const chunk of chunkEvery(text, 2_000)) {
      sofar += chunk;
      view.update(sofar, true);
      step += 1;
      const html = view.html();
      sawPlain ||= html.includes('md-live-plain');
      if (step % 4 !== 0 && sofar.length < text.length) continue;
      if (html.includes('md-live-plain')) {
        // everything before the plain part is exactly the full render of the finished blocks
        const plainAt = html.indexOf('<p class="md-live-plain">');
        expect(renderSafeMarkdown(sofar).startsWith(html.slice(0, plainAt))).toBe(true);
        expect(html).toContain('Part 39');
      } else {
        expect(html).toBe(renderSafeMarkdown(sofar));
      }
    }
    expect(sawPlain).toBe(true);
    view.update(text, false);
    expect(view.html()).toBe(renderSafeMarkdown(text));
  }, 120_000);
});
