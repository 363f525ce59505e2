import { memo, useCallback, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { RunSummary } from '../../../shared/contract/history';
import { Icon } from '../../components/Icon';
import { useFixedWindow } from '../../lib/useFixedWindow';
import { useAppStore } from '../../stores';
import { Highlighted, relativeTime, fullTime, shortModel, StatusChip, labName, techniqueName } from './format';

export const ROW_HEIGHT = 104;
const OVERSCAN = 8;

/** Scrolls just enough to show the row (like scrollIntoView({ block: 'nearest' })). */
function scrollToRow(element: HTMLElement | null, index: number) {
  if (!element) return;
  const top = index * ROW_HEIGHT;
  if (top < element.scrollTop) element.scrollTop = top;
  else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
}

/**
 * Row slots are recycled: a row that leaves the window hands its slot (its React key, so its
 * elements) to a row that enters, which updates their text instead of building new elements and
 * leaving the old ones to the garbage collector (scrolling 100,000 runs left hundreds of MB of
 * dead DOM in the renderer process; bench/history-scale renderer_process_mb). Rows that stay in
 * view keep their slot, so scrolling by one row re-renders one row. At most as many slots as the
 * largest window.
 */
function useSlotKeys(start: number, end: number): (index: number) => number {
  const state = useRef({ start: 0, end: 0, keys: new Map<number, number>(), allocated: 0 });
  const current = state.current;
  if (current.start !== start || current.end !== end) {
    const keys = new Map<number, number>();
    const free: number[] = [];
    for (const [index, key] of current.keys) {
      if (index >= start && index < end) keys.set(index, key);
      else free.push(key);
    }
    for (let index = start; index < end; index += 1) {
      if (!keys.has(index)) keys.set(index, free.pop() ?? current.allocated++);
    }
    state.current = { start, end, keys, allocated: current.allocated };
  }
  const keys = state.current.keys;
  return (index) => keys.get(index) ?? -1 - index;
}

interface RowProps {
  item: RunSummary;
  index: number;
  open: boolean;
  selected: boolean;
  comparing: boolean;
  onOpen(id: string, index: number): void;
  onSelect(id: string, index: number, event: MouseEvent): void;
  onStar(id: string, starred: boolean): void;
}

const Row = memo(function Row({ item, index, open, selected, comparing, onOpen, onSelect, onStar }: RowProps) {
  const models = [...new Set(item.arms.map((arm) => arm.modelId))];
  const techniques = [...new Set(item.arms.slice(1).map((arm) => arm.technique))];
  return (
    <div
      role="option"
      aria-selected={open}
      aria-label={item.title}
      data-run-id={item.id}
      className={`hx-row${open ? ' hx-row--open' : ''}${selected ? ' hx-row--selected' : ''}${comparing ? ' hx-row--picking' : ''}`}
      onClick={() => onOpen(item.id, index)}
    >
      <div className="hx-row__gutter">
        <input
          type="checkbox"
          aria-label={`Select ${item.title}`}
          checked={selected}
          onClick={(event) => {
            event.stopPropagation();
            onSelect(item.id, index, event);
          }}
          onChange={() => undefined}
        />
        <button
          type="button"
          className={`hx-star${item.starred ? ' hx-star--on' : ''}`}
          aria-label={item.starred ? `Unstar ${item.title}` : `Star ${item.title}`}
          aria-pressed={item.starred}
          onClick={(event) => {
            event.stopPropagation();
            onStar(item.id, !item.starred);
          }}
        >
          <Icon name="star" size={15} />
        </button>
      </div>
      <div className="hx-row__main">
        <div className="hx-row__top">
          <span className="hx-row__title">{item.title}</span>
          {item.hasNote && (
            <span className="hx-row__note" title="Has a note">
              <Icon name="note" size={13} />
            </span>
          )}
          <StatusChip status={item.status} />
          <time className="hx-row__time" dateTime={new Date(item.startedAt).toISOString()} title={fullTime(item.startedAt)}>
            {relativeTime(item.startedAt)}
          </time>
        </div>
        <div className="hx-row__tags">
          {/* Keys by position: a recycled row updates these spans' text rather than building new ones. */}
          {models.map((model, at) => (
            <span key={`m${at}`} className="hx-tag hx-tag--model" title={model}>
              {shortModel(model)}
            </span>
          ))}
          {techniques.map((technique, at) => (
            <span key={`t${at}`} className="hx-tag hx-tag--technique">
              {techniqueName(technique)}
            </span>
          ))}
          {item.tags.map((tag, at) => (
            <span key={`u${at}`} className="hx-tag hx-tag--user">
              #{tag}
            </span>
          ))}
          {item.pack && (
            <span className="hx-tag hx-tag--pack" title={`Imported from the pack “${item.pack.title}”`}>
              <Icon name="package" size={11} /> {item.pack.title}
            </span>
          )}
          {item.labId && <span className="hx-row__lab">{labName(item.labId)}</span>}
        </div>
        <p className="hx-row__text">{item.snippet !== null ? <Highlighted text={item.snippet.replace(/\s+/g, ' ')} /> : item.preview}</p>
      </div>
    </div>
  );
});

export function HistoryList(props: { pickingFor: string | null; onPicked(id: string): void }) {
  // The rows object is mutated in place as pages arrive; the version and count re-render this.
  const rows = useAppStore((s) => s.historyRows);
  useAppStore((s) => s.historyRowsVersion);
  const count = useAppStore((s) => s.historyRowCount);
  const hasMore = useAppStore((s) => s.historyCursor !== null);
  const loadMore = useAppStore((s) => s.loadMoreHistory);
  const historyOpenRunId = useAppStore((s) => s.historyOpenRunId);
  const selection = useAppStore((s) => s.historySelection);
  const openRun = useAppStore((s) => s.openHistoryRun);
  const toggleSelected = useAppStore((s) => s.toggleSelected);
  const setSelection = useAppStore((s) => s.setSelection);
  const starRuns = useAppStore((s) => s.starRuns);
  const scroller = useRef<HTMLDivElement>(null);
  const lastClicked = useRef<number | null>(null);

  const slots = count + (hasMore ? 1 : 0);
  const { start, end } = useFixedWindow(scroller, slots, ROW_HEIGHT, OVERSCAN);
  const lastVisible = Math.max(0, end - 1);

  useEffect(() => {
    if (hasMore && lastVisible >= count - 20) void loadMore();
  }, [hasMore, lastVisible, count, loadMore]);

  const showRows = useAppStore((s) => s.showHistoryRows);
  useEffect(() => showRows(start, end), [showRows, start, end, rows]);

  // Stable handlers (they read the latest props and state when called), so a row whose summary
  // did not change is not re-rendered when the list is.
  const latest = useRef(props);
  latest.current = props;
  const onOpen = useCallback(
    (id: string, index: number) => {
      lastClicked.current = index;
      if (latest.current.pickingFor) latest.current.onPicked(id);
      else void openRun(id);
    },
    [openRun],
  );
  const onSelect = useCallback(
    (id: string, index: number, event: MouseEvent) => {
      const current = useAppStore.getState();
      if (event.shiftKey && lastClicked.current !== null) {
        const [from, to] = [Math.min(lastClicked.current, index), Math.max(lastClicked.current, index)];
        const ids = current.historyRows.ids(from, to);
        setSelection([...new Set([...Object.keys(current.historySelection), ...ids])]);
      } else {
        toggleSelected(id);
      }
      lastClicked.current = index;
    },
    [setSelection, toggleSelected],
  );
  const onStar = useCallback((id: string, starred: boolean) => void starRuns([id], starred), [starRuns]);

  const slotKey = useSlotKeys(start, Math.min(end, slots));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement && event.key === ' ') return;
    const index = historyOpenRunId === null ? -1 : rows.indexOf(historyOpenRunId);
    let next = index;
    if (event.key === 'ArrowDown') next = Math.min(count - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (event.key === ' ' && historyOpenRunId) {
      event.preventDefault();
      toggleSelected(historyOpenRunId);
      return;
    } else return;
    event.preventDefault();
    const id = rows.idAt(next);
    if (id) {
      void openRun(id);
      scrollToRow(scroller.current, next);
    }
  };

  return (
    <div
      ref={scroller}
      className="hx-list"
      role="listbox"
      aria-label="Runs"
      aria-multiselectable="true"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: slots * ROW_HEIGHT, position: 'relative' }}>
        {Array.from({ length: Math.max(0, Math.min(end, slots) - start) }, (_, offset) => {
          const index = start + offset;
          const item = rows.at(index);
          const id = rows.idAt(index);
          return (
            <div
              key={slotKey(index)}
              className="hx-list__slot"
              style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
            >
              {item ? (
                <Row
                  item={item}
                  index={index}
                  open={item.id === historyOpenRunId}
                  selected={selection[item.id] === true}
                  comparing={props.pickingFor !== null && props.pickingFor !== item.id}
                  onOpen={onOpen}
                  onSelect={onSelect}
                  onStar={onStar}
                />
              ) : (
                <div className="hx-row hx-row--loading" aria-hidden="true">
                  {id ? 'Loading…' : 'Loading more runs…'}
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
