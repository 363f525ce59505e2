/**
 * Writes resources/corpus/03-fee-schedule.pdf from scripts/sample-corpus/fee-schedule.txt with
 * pdf-lib: A4 pages, Helvetica, wrapped lines, section headings in bold and a page-number footer.
 * The PDF is committed; run again after editing the text: `npx tsx scripts/make-sample-pdf.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

const root = join(__dirname, '..');
const source = readFileSync(join(root, 'scripts', 'sample-corpus', 'fee-schedule.txt'), 'utf8');
const out = join(root, 'resources', 'corpus', '03-fee-schedule.pdf');

async function main(): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle('AnyCompany Bank Fee Schedule');
  doc.setAuthor('Parallax (fictional sample)');
  doc.setSubject('Part 3 of the AnyCompany Bank Staff Handbook, written for Parallax workshops');
  // A fixed date keeps the file byte-identical between runs.
  doc.setCreationDate(new Date('2026-03-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-03-01T00:00:00Z'));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = [595.28, 841.89];
  const margin = 64;
  const size = 11;
  const leading = 15.5;
  let page = doc.addPage([width, height]);
  let y = height - margin;
  let pageNumber = 1;

  const footer = () => {
    const text = `AnyCompany Bank Fee Schedule (fictional) - page ${pageNumber}`;
    page.drawText(text, { x: margin, y: 32, size: 8.5, font: regular, color: rgb(0.4, 0.4, 0.4) });
  };
  const newPage = () => {
    footer();
    page = doc.addPage([width, height]);
    pageNumber += 1;
    y = height - margin;
  };
  const wrap = (text: string, font: typeof regular, fontSize: number): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, fontSize) > width - margin * 2 && line) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    if (line) lines.push(line);
    return lines;
  };

  const paragraphs = source.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  paragraphs.forEach((paragraph, index) => {
    const title = index === 0;
    const heading = /^Section [A-Z]\./.test(paragraph);
    const font = title || heading ? bold : regular;
    const fontSize = title ? 18 : heading ? 13 : size;
    const before = heading ? leading * 0.9 : leading * 0.35;
    if (heading && y - before - leading * 3 < margin + 24) newPage();
    y -= before;
    for (const line of wrap(paragraph, font, fontSize)) {
      if (y - leading < margin + 24) newPage();
      y -= title ? 24 : leading;
      page.drawText(line, { x: margin, y, size: fontSize, font, color: rgb(0.1, 0.1, 0.12) });
    }
    if (title) y -= 8;
  });
  footer();
  writeFileSync(out, await doc.save({ useObjectStreams: false }));
  console.log(`wrote ${out} (${pageNumber} pages)`);
}

void main();
