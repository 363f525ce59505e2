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
import { Marked, type Token, type Tokens, type TokensList } from 'marked';
import { hasInvisibles, revealInvisiblesAsText, splitInvisibles } from '../../../shared/invisibles';

/** Past this many characters an answer is shown as plain text (with a note), never parsed. */
export const MARKDOWN_LIMIT = 500_000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function externalUrl(href: string): string | null {
  try {
    const url = new URL(href.trim());
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return `<code class="md-raw-html">${escapeHtml(text)}</code>`;
    },
    image({ href, text }: Tokens.Image) {
      const label = text ? `Image not loaded: ${text}` : 'Image not loaded';
      return `<span class="md-blocked" title="${escapeHtml(`Images from model output are never loaded (${href})`)}">${escapeHtml(label)}</span>`;
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
      const inner = this.parser.parseInline(token.tokens);
      const url = externalUrl(token.href);
      if (!url) return `<span class="md-link md-link--blocked" title="${escapeHtml(`Link not allowed: ${token.href}`)}">${inner}</span>`;
      return `<a class="md-link" role="link" tabindex="0" data-external-href="${escapeHtml(url)}" title="${escapeHtml(url)}">${inner}</a>`;
    },
  },
});

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'input',
];
const ALLOWED_ATTR = ['class', 'title', 'data-external-href', 'role', 'tabindex', 'start', 'align', 'type', 'checked', 'disabled'];
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
