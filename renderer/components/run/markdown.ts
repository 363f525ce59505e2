/**
 * Model output is untrusted. It is rendered as Markdown in three steps:
 * 1. marked, with renderers that never emit live HTML: raw HTML in the output is shown as
 *    text (escaped), images become a "not loaded" placeholder (no request ever leaves), and
 *    links lose their href: an https link keeps its target in `data-external-href`, which the
 *    view opens only through window.open after the user confirms; any other scheme
 *    (javascript:, data:, file:, http:) is shown as plain text.
 * 2. DOMPurify with a short allow-list of tags and attributes, as defence in depth. Its hook
 *    also makes bidirectional-override and zero-width characters visible (shared/invisibles).
 * 3. The page's CSP (no inline script, no remote images) behind both.
 *
 * `renderSafeMarkdown` renders a whole text; `lexMarkdown` + `renderSafeTokens` render part of
 * one (the streaming view, markdown-stream.ts, renders each finished block once).
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import type { Token, TokensList } from 'marked';
import { createSafeMarked, escapeMarkdownHtml as escapeHtml, externalUrl, SAFE_MARKDOWN_ATTRS, SAFE_MARKDOWN_TAGS } from '../../../shared/markdown-safe';
import { hasInvisibles, revealInvisiblesAsText, splitInvisibles } from '../../../shared/invisibles';

/** Past this many characters an answer is shown as plain text (with a note), never parsed. */
export const MARKDOWN_LIMIT = 500_000;

export { escapeHtml, externalUrl };

// The rules (marked's renderers, the allow-list) are shared with the HTML reports.
const marked = createSafeMarked('app');
const ALLOWED_TAGS = SAFE_MARKDOWN_TAGS;
const ALLOWED_ATTR = SAFE_MARKDOWN_ATTRS;
const PURIFY_CONFIG = { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false };

/** A text node holding invisible characters becomes text + `<span class="md-invisible">` labels. */
function revealInvisibleNode(node: Node): void {
  if (node.nodeType !== 3 || !hasInvisibles(node.nodeValue ?? '')) return;
  const parent = node.parentNode;
  const doc = node.ownerDocument;
  if (!parent || !doc) return;
  const fragment = doc.createDocumentFragment();
  for (const piece of splitInvisibles(node.nodeValue ?? '')) {
    if ('text' in piece) {
      fragment.append(doc.createTextNode(piece.text));
    } else {
      const mark = doc.createElement('span');
      mark.className = 'md-invisible';
      mark.title = piece.title;
      mark.textContent = piece.label;
      fragment.append(mark);
    }
  }
  parent.replaceChild(fragment, node);
}

let instance: DOMPurify | null = null;
/** Our own DOMPurify instance (its hooks do not leak into other users of the library). */
function purifier(): DOMPurify {
  if (instance) return instance;
  const purify = createDOMPurify(window);
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'data-external-href' && !externalUrl(data.attrValue)) data.keepAttr = false;
    if (data.attrName === 'type' && !(node.nodeName === 'INPUT' && data.attrValue === 'checkbox')) data.keepAttr = false;
    if (data.attrName === 'title' && hasInvisibles(data.attrValue)) data.attrValue = revealInvisiblesAsText(data.attrValue);
  });
  purify.addHook('afterSanitizeElements', (node) => revealInvisibleNode(node));
  instance = purify;
  return purify;
}

function sanitize(html: string): string {
  return purifier().sanitize(html, PURIFY_CONFIG);
}

export function renderSafeMarkdown(source: string): string {
  return sanitize(marked.parse(source, { async: false }));
}

/** Top-level block tokens of a Markdown text (marked's lexer: inline tokens included). */
export function lexMarkdown(source: string): TokensList {
  return marked.lexer(source);
}

/** Sanitized HTML of some top-level tokens of a text that has no link reference definitions. */
export function renderSafeTokens(tokens: Token[]): string {
  if (tokens.length === 0) return '';
  const list = Object.assign(tokens.slice(), { links: {} }) as TokensList;
  return sanitize(marked.parser(list));
}

/** Plain text as inert HTML (invisible characters shown). */
export function renderSafePlain(text: string, className: string): string {
  return sanitize(`<p class="${className}">${escapeHtml(text)}</p>`);
}
