/**
 * Text out of a file the user adds: .txt and .md as UTF-8, .pdf through PDF.js (pdfjs-dist,
 * the legacy build that runs under Node), page by page. Every way a file can fail comes back
 * as a message that says what is wrong and what to do; nothing here throws for bad input.
 */
import { createHash } from 'node:crypto';
import type { PageText } from '../../../shared/rag/chunk';
import type { DocumentKind } from '../../../shared/rag/types';

export const MAX_FILE_BYTES = 30 * 1024 * 1024;
export const MAX_TEXT_CHARS = 5_000_000;
export const MAX_PDF_PAGES = 2_000;

export type Extracted =
  | { ok: true; kind: DocumentKind; pages: PageText[]; hasPages: boolean; bytes: number; sha256: string; chars: number }
  | { ok: false; message: string };

export function kindOf(name: string): DocumentKind | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'txt' || extension === 'text') return 'txt';
  if (extension === 'md' || extension === 'markdown') return 'md';
  if (extension === 'pdf') return 'pdf';
  return null;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Too large before reading it: checked from the size alone (a file's stat, a dropped file's size). */
export function sizeProblem(name: string, bytes: number): string | null {
  return bytes > MAX_FILE_BYTES
    ? `"${name}" is ${megabytes(bytes)}; Parallax adds files up to ${megabytes(MAX_FILE_BYTES)}. Split it into smaller files and add those.`
    : null;
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text and Markdown keep their indentation; only line ends and runs of blank lines change. */
function tidyText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

function decodeText(name: string, bytes: Uint8Array): { text: string } | { message: string } {
  if (bytes.includes(0)) return { message: `"${name}" does not look like a text file (it holds binary data). Add .txt or .md files saved as plain text.` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text };
  } catch {
    return { message: `"${name}" is not UTF-8 text. Open it in an editor, save it as UTF-8, and add it again.` };
  }
}

interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
}

async function pdfPages(name: string, bytes: Uint8Array): Promise<{ pages: PageText[]; total: number } | { message: string }> {
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!header.includes('%PDF-')) return { message: `"${name}" is not a PDF (it has no PDF header). If it is another kind of file, rename it to its real extension; if it should be a PDF, it is damaged.` };
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false });
  try {
    const document = await task.promise;
    if (document.numPages > MAX_PDF_PAGES) return { message: `"${name}" has ${document.numPages} pages; Parallax adds PDFs of up to ${MAX_PDF_PAGES} pages. Split it and add the parts.` };
    const pages: PageText[] = [];
    let chars = 0;
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const text = tidy((content.items as PdfTextItem[]).map((item) => `${item.str ?? ''}${item.hasEOL ? '\n' : ''}`).join(''));
      page.cleanup();
      chars += text.length;
      if (chars > MAX_TEXT_CHARS) return { message: `"${name}" holds more than ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters of text. Split it into smaller files and add those.` };
      if (text) pages.push({ page: number, text });
    }
    return { pages, total: document.numPages };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'PasswordException') return { message: `"${name}" is protected by a password. Save an unprotected copy and add that.` };
    return { message: `"${name}" could not be read as a PDF (${reason}). It may be damaged: open it in a PDF viewer, save or print it to a new PDF, and add that.` };
  } finally {
    void task.destroy();
  }
}

/** Reads one file's text; the bytes are already in memory (from disk or a drop). */
export async function extractText(name: string, bytes: Uint8Array): Promise<Extracted> {
  const kind = kindOf(name);
  if (!kind) return { ok: false, message: `"${name}" is not a file Parallax can read. Add .txt, .md or .pdf files (convert other documents to PDF or plain text first).` };
  const tooBig = sizeProblem(name, bytes.byteLength);
  if (tooBig) return { ok: false, message: tooBig };
  if (bytes.byteLength === 0) return { ok: false, message: `"${name}" is empty: there is no text to add.` };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (kind === 'pdf') {
    const result = await pdfPages(name, bytes);
    if ('message' in result) return { ok: false, message: result.message };
    if (result.pages.length === 0) {
      return { ok: false, message: `"${name}" has no text layer (${result.total === 1 ? 'its page looks' : `its ${result.total} pages look`} like scanned images). Run it through OCR, or add a text version of it.` };
    }
    const chars = result.pages.reduce((sum, page) => sum + page.text.length, 0);
    return { ok: true, kind, pages: result.pages, hasPages: true, bytes: bytes.byteLength, sha256, chars };
  }
  const decoded = decodeText(name, bytes);
  if ('message' in decoded) return { ok: false, message: decoded.message };
  const text = tidyText(decoded.text);
  if (!text) return { ok: false, message: `"${name}" is empty: there is no text to add.` };
  if (text.length > MAX_TEXT_CHARS) return { ok: false, message: `"${name}" holds more than ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters of text. Split it into smaller files and add those.` };
  return { ok: true, kind, pages: [{ page: null, text }], hasPages: false, bytes: bytes.byteLength, sha256, chars: text.length };
}
