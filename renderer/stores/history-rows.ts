import type { HistoryCursor, RunSummary } from '../../shared/contract/history';

/** Pages of summaries kept on each side of the rows in view; farther pages keep only their ids. */
export const KEEP_PAGES = 4;

interface Page {
  /** The cursor that fetched this page (null for the first), to fetch it again after eviction. */
  cursor: HistoryCursor | null;
  ids: string[];
  /** null once evicted: the rows are far from view and come back from the database on demand. */
  items: RunSummary[] | null;
}

export interface MissingPage {
  page: number;
  cursor: HistoryCursor | null;
  ids: readonly string[];
}

/**
 * The rows of the history list, as the pages they arrived in. Every row's id stays (for
 * selection, keyboard moves and counting), but only the summaries of pages near the rows in
 * view are held: on a 100,000-run history the list holds a few hundred summaries at a time, so
 * the renderer's memory does not grow with the history. An evicted page is fetched again from
 * its own cursor when it comes back into view.
 *
 * Mutable: the store holds one instance and bumps a version number whenever it changes.
 */
export class HistoryRows {
  private pages: Page[] = [];
  /** starts[k] = index of page k's first row; rebuilt lazily after a removal. */
  private starts: number[] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  private locate(index: number): [number, number] | null {
    if (index < 0 || index >= this.count) return null;
    let low = 0;
    let high = this.pages.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return [low, index - this.starts[low]!];
  }

  /** The summary at this index, or undefined while its page is evicted (or out of range). */
  at(index: number): RunSummary | undefined {
    const place = this.locate(index);
    return place ? this.pages[place[0]]!.items?.[place[1]] : undefined;
  }

  idAt(index: number): string | undefined {
    const place = this.locate(index);
    return place ? this.pages[place[0]]!.ids[place[1]] : undefined;
  }

  append(cursor: HistoryCursor | null, items: readonly RunSummary[]): void {
    if (items.length === 0) return;
    this.starts.push(this.count);
    this.pages.push({ cursor, ids: items.map((item) => item.id), items: [...items] });
    this.count += items.length;
  }

  indexOf(id: string): number {
    for (let p = 0; p < this.pages.length; p += 1) {
      const at = this.pages[p]!.ids.indexOf(id);
      if (at !== -1) return this.starts[p]! + at;
    }
    return -1;
  }

  ids(from = 0, to = this.count - 1): string[] {
    const out: string[] = [];
    for (let i = Math.max(0, from); i <= Math.min(to, this.count - 1); i += 1) out.push(this.idAt(i)!);
    return out;
  }

  /** Replaces the held summaries of these runs; returns whether any was held. */
  patch(ids: readonly string[], patch: (item: RunSummary) => RunSummary): boolean {
    const wanted = new Set(ids);
    let changed = false;
    for (const page of this.pages) {
      if (!page.items) continue;
      page.items.forEach((item, i) => {
        if (wanted.has(item.id)) {
          page.items![i] = patch(item);
          changed = true;
        }
      });
    }
    return changed;
  }

  /** Drops these runs' rows (their pages keep their cursors); returns whether any was loaded. */
  remove(ids: readonly string[]): boolean {
    const gone = new Set(ids);
    let removed = 0;
    for (const page of this.pages) {
      const before = page.ids.length;
      page.ids = page.ids.filter((id) => !gone.has(id));
      if (page.items) page.items = page.items.filter((item) => !gone.has(item.id));
      removed += before - page.ids.length;
    }
    if (removed === 0) return false;
    this.count -= removed;
    this.pages = this.pages.filter((page) => page.ids.length > 0);
    this.starts = [];
    let start = 0;
    for (const page of this.pages) {
      this.starts.push(start);
      start += page.ids.length;
    }
    return true;
  }

  /** The evicted pages that hold rows in [start, end). */
  missing(start: number, end: number): MissingPage[] {
    const out: MissingPage[] = [];
    const first = this.locate(Math.max(0, start));
    const last = this.locate(Math.min(end, this.count) - 1);
    if (!first || !last) return out;
    for (let p = first[0]; p <= last[0]; p += 1) {
      const page = this.pages[p]!;
      if (!page.items) out.push({ page: p, cursor: page.cursor, ids: page.ids });
    }
    return out;
  }

  /**
   * Puts a fetched page back, matching rows by id. `ids` is the array missing() gave: if the page
   * changed meanwhile, the answer is dropped (the page is fetched again when seen). A run gone
   * since (deleted elsewhere) loses its row.
   */
  fill(page: number, ids: readonly string[], items: readonly RunSummary[]): void {
    const target = this.pages[page];
    if (!target || target.ids !== ids) return;
    const byId = new Map(items.map((item) => [item.id, item]));
    const gone = target.ids.filter((id) => !byId.has(id));
    if (gone.length > 0) this.remove(gone);
    target.items = target.ids.map((id) => byId.get(id)!);
  }

  /** Evicts the summaries of pages farther than KEEP_PAGES from the rows in [start, end). */
  retain(start: number, end: number): void {
    const first = this.locate(Math.max(0, Math.min(start, this.count - 1)));
    const last = this.locate(Math.max(0, Math.min(end, this.count) - 1));
    if (!first || !last) return;
    for (let p = 0; p < this.pages.length; p += 1) {
      if (p < first[0] - KEEP_PAGES || p > last[0] + KEEP_PAGES) this.pages[p]!.items = null;
    }
  }

  /** How many summaries are held (what the eviction tests check). */
  held(): number {
    return this.pages.reduce((n, page) => n + (page.items?.length ?? 0), 0);
  }
}
