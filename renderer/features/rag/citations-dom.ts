/**
 * Turns the `[n]` markers in a rendered answer into citation buttons, in place. The answer is
 * model output: only its text nodes are read, and every element added here is built with DOM
 * calls (never from the answer's text as HTML), with no href, so a citation cannot navigate.
 * Code, links and citations already made are left alone.
 */
import { splitCitations } from '../../../shared/rag/citations';

export interface CitationSource {
  /** What the button says to a screen reader and in its tooltip ("AnyCompany… · p. 3"). */
  title: string;
}

const SKIP = 'code, pre, a, button, .citation, .md-link, .md-raw-html';

function textNodes(root: Node): Text[] {
  const doc = root.ownerDocument ?? (root as Document);
  if (root.nodeType === Node.TEXT_NODE) return [root as Text];
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

function citationElement(doc: Document, n: number, source: CitationSource | undefined, sourceCount: number): HTMLElement {
  if (!source) {
    const span = doc.createElement('span');
    span.className = 'citation citation--unknown';
    span.textContent = `[${n}]`;
    span.title = `Cites source ${n}, but the model was given ${sourceCount} source${sourceCount === 1 ? '' : 's'}.`;
    return span;
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'citation';
  button.dataset.cite = String(n);
  button.textContent = `[${n}]`;
  button.title = `Source ${n}: ${source.title}`;
  button.setAttribute('aria-label', `Source ${n}: ${source.title}`);
  return button;
}

/** Replaces the citation markers under `root` with buttons; returns how many it made. */
export function decorateCitations(root: Node, sources: readonly CitationSource[]): number {
  let made = 0;
  for (const node of textNodes(root)) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIP) || !node.data.includes('[')) continue;
    const segments = splitCitations(node.data, sources.length);
    if (!segments.some((segment) => 'cite' in segment)) continue;
    const doc = node.ownerDocument;
    const fragment = doc.createDocumentFragment();
    for (const segment of segments) {
      if ('cite' in segment) {
        fragment.append(citationElement(doc, segment.cite, segment.known ? sources[segment.cite - 1] : undefined, sources.length));
        made += 1;
      } else {
        fragment.append(doc.createTextNode(segment.text));
      }
    }
    node.replaceWith(fragment);
  }
  return made;
}
