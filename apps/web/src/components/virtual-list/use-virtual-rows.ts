'use client';

import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { type RowRange, scrollToShow, visibleRange } from './visible-range';

export interface VirtualRows {
  /** Goes on the scrolling element. */
  scroller: RefObject<HTMLDivElement | null>;
  /** The rows to render now. */
  range: RowRange;
  /** Scrolls the least needed to show row `index`. */
  reveal(index: number): void;
}

interface Options {
  /** Rows rendered beyond each edge of the view, so a quick scroll does not show blank space. */
  overscan?: number;
  /** A sticky head inside the scroller (a table's thead): it covers the top of the view and comes before row 0. */
  head?: RefObject<HTMLElement | null>;
}

/**
 * Windowing for long lists of fixed-height rows: only the rows in view (and a few around) are in the DOM, so ten
 * thousand rows scroll like thirty. The scrolling element's position and height drive the range.
 */
export function useVirtualRows(count: number, rowHeight: number, { overscan = 10, head }: Options = {}): VirtualRows {
  const scroller = useRef<HTMLDivElement | null>(null);
  // Measured in the rows' own coordinates: the sticky head's height is taken off the view.
  const [view, setView] = useState({ top: 0, height: 0 });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const update = () => {
      const height = Math.max(0, element.clientHeight - (head?.current?.offsetHeight ?? 0));
      setView((current) => (current.top === element.scrollTop && current.height === height ? current : { top: element.scrollTop, height }));
    };
    update();
    element.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [head]);

  const reveal = useCallback(
    (index: number) => {
      const element = scroller.current;
      if (!element) return;
      const height = element.clientHeight - (head?.current?.offsetHeight ?? 0);
      const top = scrollToShow(index, element.scrollTop, height, rowHeight);
      if (top !== null) element.scrollTop = top;
    },
    [rowHeight, head],
  );

  return { scroller, range: visibleRange(view.top, view.height, rowHeight, count, overscan), reveal };
}
