import { useLayoutEffect, useState, type RefObject } from 'react';

export interface WindowRange {
  start: number;
  end: number;
}

/**
 * Windowing for rows of one fixed height: the rows in view come from scrollTop alone, O(1) per
 * scroll or new page. (@tanstack/react-virtual kept a measurement object per row and copied its
 * whole measurement array each time the count grew — on a 100,000-run history that left hundreds
 * of MB of dead arrays behind while scrolling; see bench/history-scale.ts, renderer_mb.)
 */
export function useFixedWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
  initial: WindowRange = { start: 0, end: 0 },
): WindowRange {
  const [range, setRange] = useState(initial);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const update = () => {
      const start = Math.max(0, Math.floor(element.scrollTop / rowHeight) - overscan);
      const end = Math.min(count, Math.ceil((element.scrollTop + element.clientHeight) / rowHeight) + overscan);
      setRange((current) => (current.start === start && current.end === end ? current : { start, end }));
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    resize?.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      resize?.disconnect();
    };
  }, [scroller, count, rowHeight, overscan]);
  return range;
}
