import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/contract/history';
import { HistoryRows, KEEP_PAGES } from '../../../renderer/stores/history-rows';

const summary = (n: number): RunSummary => ({
  id: `run-${n}`,
  title: `Run ${n}`,
  status: 'completed',
  startedAt: n,
  finishedAt: n,
  starred: false,
  hasNote: false,
  labId: null,
  pack: null,
  tags: [],
  arms: [],
  preview: `prompt ${n}`,
  snippet: null,
  deletedAt: null,
});
const page = (from: number, size = 10) => Array.from({ length: size }, (_, i) => summary(from + i));
const cursorAfter = (n: number) => ({ v: n, r: n });

/** 30 pages of 10 rows, each appended with the cursor of the row before it. */
function thirtyPages(): HistoryRows {
  const rows = new HistoryRows();
  for (let p = 0; p < 30; p += 1) rows.append(p === 0 ? null : cursorAfter(p * 10 - 1), page(p * 10));
  return rows;
}

describe('the history list rows', () => {
  it('holds only the pages near the rows in view; every id stays for selection and keys', () => {
    const rows = thirtyPages();
    expect(rows.length).toBe(300);
    expect(rows.held()).toBe(300);
    rows.retain(150, 160); // page 15 in view
    expect(rows.held()).toBe((2 * KEEP_PAGES + 1) * 10);
    expect(rows.at(150)?.title).toBe('Run 150');
    expect(rows.at(5)).toBeUndefined();
    expect(rows.idAt(5)).toBe('run-5');
    expect(rows.ids(0, 2)).toEqual(['run-0', 'run-1', 'run-2']);
    expect(rows.indexOf('run-299')).toBe(299);
  });

  it('stays bounded while 100,000 runs are scrolled end to end and back (the bench history-scale path)', () => {
    const PAGE = 80;
    const VIEW = 24; // rows in view with overscan
    const bound = (2 * KEEP_PAGES + 1) * PAGE + PAGE; // the pages kept around the view, plus one the view straddles
    const rows = new HistoryRows();
    let most = 0;
    // Down: each new page arrives as the view reaches the end, as loadMoreHistory appends it.
    for (let p = 0; p < 100_000 / PAGE; p += 1) {
      rows.append(p === 0 ? null : cursorAfter(p * PAGE - 1), page(p * PAGE, PAGE));
      const end = rows.length;
      rows.retain(end - VIEW, end);
      most = Math.max(most, rows.held());
    }
    expect(rows.length).toBe(100_000);
    // Up, 40 views at a time: the evicted pages in view come back from their cursors.
    for (let top = rows.length - VIEW; top > 0; top = Math.max(0, top - 40 * VIEW)) {
      rows.retain(top, top + VIEW);
      for (const missing of rows.missing(top, top + VIEW)) {
        const first = Number(missing.ids[0]!.slice('run-'.length));
        rows.fill(missing.page, missing.ids, page(first, missing.ids.length));
      }
      expect(rows.at(top)?.id).toBe(`run-${top}`);
      most = Math.max(most, rows.held());
    }
    rows.retain(0, VIEW);
    expect(most).toBeLessThanOrEqual(bound);
    expect(rows.held()).toBeLessThanOrEqual(bound);
    expect(rows.length).toBe(100_000); // every id stays (selection, keyboard moves, counts)
  });

  it('names the evicted pages in view with the cursor that fetches each again, and takes them back', () => {
    const rows = thirtyPages();
    rows.retain(290, 300);
    const missing = rows.missing(8, 22);
    expect(missing.map((m) => [m.page, m.cursor])).toEqual([
      [0, null],
      [1, cursorAfter(9)],
      [2, cursorAfter(19)],
    ]);
    rows.fill(1, missing[1]!.ids, page(10).reverse());
    expect(rows.at(10)?.title).toBe('Run 10'); // matched by id, not by position
    expect(rows.missing(8, 22).map((m) => m.page)).toEqual([0, 2]);
  });

  it('drops a run deleted elsewhere when its page comes back, and ignores an answer for a page that changed', () => {
    const rows = thirtyPages();
    rows.retain(290, 300);
    const [first] = rows.missing(0, 10);
    rows.fill(0, first!.ids, page(0).filter((item) => item.id !== 'run-3'));
    expect(rows.length).toBe(299);
    expect(rows.at(3)?.id).toBe('run-4');

    const [second] = rows.missing(20, 25);
    rows.remove(['run-21']);
    rows.fill(second!.page, second!.ids, page(20));
    expect(rows.at(20)).toBeUndefined(); // stale answer dropped; the page is asked for again
    expect(rows.missing(19, 25)[0]!.ids).not.toContain('run-21');
  });

  it('removes rows across pages and keeps indexes continuous; patches only held summaries', () => {
    const rows = thirtyPages();
    expect(rows.remove(['run-0', 'run-15', 'run-299', 'nope'])).toBe(true);
    expect(rows.remove(['nope'])).toBe(false);
    expect(rows.length).toBe(297);
    expect(rows.idAt(0)).toBe('run-1');
    expect(rows.idAt(14)).toBe('run-16');
    expect(rows.idAt(296)).toBe('run-298');
    rows.retain(0, 10);
    expect(rows.patch(['run-1', 'run-200'], (item) => ({ ...item, starred: true }))).toBe(true);
    expect(rows.at(0)?.starred).toBe(true);
    expect(rows.patch(['run-200'], (item) => ({ ...item, starred: true }))).toBe(false);
  });
});
