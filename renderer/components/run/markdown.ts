/**
 * Model output is untrusted. It is rendered as Markdown in three steps:
 * 1. marked, with renderers that never emit live HTML: raw HTML in the output is shown as
 *    text (escaped), images become a "not loaded" placeholder (no request ever leaves), and
 *    links lose their href: an https link keeps its target in `data-external-href`, which the
 *    view opens only through window.open after the user confirms; any other scheme
 *    (javascript:, data:, file:, http:) is shown as plain text.
 * 2. DOMPurify with a short allow-list of tags and attributes, as defence in depth.
 * 3. The page's CSP (no inline script, no remote images) behind both.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

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

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
      if (data.attrName === 'data-external-href' && !externalUrl(data.attrValue)) data.keepAttr = false;
      if (data.attrName === 'type' && !(node.nodeName === 'INPUT' && data.attrValue === 'checkbox')) data.keepAttr = false;
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderSafeMarkdown(source: string): string {
  const html = marked.parse(source, { async: false });
  return purifier().sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false });
}
