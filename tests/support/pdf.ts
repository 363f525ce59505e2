/** Writes small PDFs for tests with pdf-lib: pages of text lines, or pages with no text (a "scan"). */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export async function makePdf(pages: readonly (readonly string[] | null)[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    if (lines === null) {
      // A scanned page: marks, no text layer.
      page.drawRectangle({ x: 40, y: 40, width: 500, height: 700, color: rgb(0.85, 0.85, 0.85) });
      continue;
    }
    lines.forEach((line, index) => page.drawText(line, { x: 50, y: 790 - index * 16, size: 11, font }));
  }
  return doc.save();
}
