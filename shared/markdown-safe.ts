/**
 * The rules for showing untrusted Markdown (model output), shared by the app's view
 * (renderer/components/run/markdown.ts, which adds DOMPurify over a real DOM) and the HTML
 * reports written in the main process (`reportMarkdownHtml`, which has no DOM and applies the
 * same allow-list to marked's output as a string filter):
 * - raw HTML in the text is shown as text (escaped), never as markup;
 * - images become a "not loaded" placeholder (no request ever leaves);
 * - links lose their href: in the app an https link keeps its target in `data-external-href`
 *   (opened only after the user confirms); in a report every link is inert text with its
 *   address in a tooltip (a report has no script to confirm with); javascript:, data:, file:
 *   and http: targets are never kept anywhere;
 * - only the tags and attributes below survive; no event handler, style or src can.
 * Bidi overrides and zero-width characters are shown as visible labels (shared/invisibles).
 */
import { Marked, type Tokens } from 'marked';
import { describeInvisible, INVISIBLE_CHARS, INVISIBLE_RE, revealInvisiblesAsText } from './invisibles';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeMarkdownHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** WHATWG URL, present in the renderer and in Node (shared/ is typed without DOM or Node). */
const WhatwgUrl = (globalThis as unknown as { URL: new (href: string) => { protocol: string; href: string } }).URL;

/** The address of a link the app may offer to open: https only. */
export function externalUrl(href: string): string | null {
  try {
    const url = new WhatwgUrl(href.trim());
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export const SAFE_MARKDOWN_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'input',
];
export const SAFE_MARKDOWN_ATTRS = ['class', 'title', 'data-external-href', 'role', 'tabindex', 'start', 'align', 'type', 'checked', 'disabled'];

/**
 * marked with renderers that never emit live HTML. `links`: 'app' keeps an https target in
 * data-external-href (the app's confirm-then-open), 'inert' keeps none (reports).
 */
export function createSafeMarked(links: 'app' | 'inert'): Marked {
  return new Marked({
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag) {
        return `<code class="md-raw-html">${escapeMarkdownHtml(text)}</code>`;
      },
      image({ href, text }: Tokens.Image) {
        const label = text ? `Image not loaded: ${text}` : 'Image not loaded';
        return `<span class="md-blocked" title="${escapeMarkdownHtml(`Images from model output are never loaded (${href})`)}">${escapeMarkdownHtml(label)}</span>`;
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        const url = externalUrl(token.href);
        if (!url) return `<span class="md-link md-link--blocked" title="${escapeMarkdownHtml(`Link not allowed: ${token.href}`)}">${inner}</span>`;
        if (links === 'inert') return `<span class="md-link" title="${escapeMarkdownHtml(`Link (not opened from a report): ${url}`)}">${inner}</span>`;
        return `<a class="md-link" role="link" tabindex="0" data-external-href="${escapeMarkdownHtml(url)}" title="${escapeMarkdownHtml(url)}">${inner}</a>`;
      },
    },
  });
}

const TAGS = new Set(SAFE_MARKDOWN_TAGS);
/** In a report no attribute may carry a link target. */
const REPORT_ATTRS = new Set(SAFE_MARKDOWN_ATTRS.filter((name) => name !== 'data-external-href'));
const TAG_RE = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"<>]*")?)*)\s*(\/?)>$/;
const ATTR_RE = /\s+([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"<>]*)")?/g;

/** Invisible characters in element text as labelled spans (the report's `.inv` style). */
function revealInText(html: string): string {
  return html.replace(
    INVISIBLE_RE,
    (char) => `<span class="inv" title="${escapeMarkdownHtml(describeInvisible(char))}">${escapeMarkdownHtml(INVISIBLE_CHARS[char]?.label ?? '?')}</span>`,
  );
}

/**
 * marked's output kept to the allow-list without a DOM: each tag is kept only when it is an
 * allowed element with allowed, double-quoted attributes (anything else is shown as text); text
 * between tags is already escaped by marked. `type` survives only as a checkbox's.
 */
export function sanitizeMarkdownHtml(html: string): string {
  let out = '';
  for (const match of html.matchAll(/<[^<>]*>|<|[^<]+/g)) {
    const piece = match[0];
    if (piece[0] !== '<') {
      out += revealInText(piece.replace(/>/g, '&gt;'));
      continue;
    }
    const tag = TAG_RE.exec(piece);
    const name = tag?.[2]?.toLowerCase();
    if (!tag || !name || !TAGS.has(name)) {
      out += escapeMarkdownHtml(piece);
      continue;
    }
    if (tag[1]) {
      out += `</${name}>`;
      continue;
    }
    let attrs = '';
    for (const attr of (tag[3] ?? '').matchAll(ATTR_RE)) {
      const attrName = attr[1]!.toLowerCase();
      const value = attr[2];
      if (!REPORT_ATTRS.has(attrName)) continue;
      if (attrName === 'type' && !(name === 'input' && value === 'checkbox')) continue;
      attrs += value === undefined ? ` ${attrName}` : ` ${attrName}="${escapeMarkdownHtml(revealInvisiblesAsText(value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')))}"`;
    }
    if (name === 'input' && !/ type="checkbox"/.test(attrs)) continue;
    out += `<${name}${attrs}${tag[4] ? ' /' : ''}>`;
  }
  return out;
}

/** Past this many characters an answer is shown as plain text in a report, never parsed. */
export const REPORT_MARKDOWN_LIMIT = 200_000;

let reportMarked: Marked | null = null;

/**
 * An answer's Markdown as safe HTML for a report: rendered by the same rules as the app, kept to
 * the same allow-list, links inert, invisible characters shown. Long answers are shown as text.
 */
export function reportMarkdownHtml(text: string): string {
  if (text.length > REPORT_MARKDOWN_LIMIT) return `<pre class="md-plain">${revealInText(escapeMarkdownHtml(text))}</pre>`;
  reportMarked ??= createSafeMarked('inert');
  let html: string;
  try {
    html = reportMarked.parse(text, { async: false });
  } catch {
    return `<pre class="md-plain">${revealInText(escapeMarkdownHtml(text))}</pre>`;
  }
  return sanitizeMarkdownHtml(html);
}
