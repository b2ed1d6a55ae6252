import { describe, expect, it } from 'vitest';
import { scrollToShow, visibleRange } from './visible-range';

describe('visibleRange', () => {
  it('renders only what the viewport shows, plus the overscan', () => {
    // 10 000 rows of 32 px, a 480 px viewport scrolled to row 100.
    expect(visibleRange(3200, 480, 32, 10_000, 5)).toEqual({ start: 95, end: 120 });
  });

  it('stays inside the list at both ends', () => {
    expect(visibleRange(0, 480, 32, 10_000, 5)).toEqual({ start: 0, end: 20 });
    expect(visibleRange(320_000, 480, 32, 10_000, 5)).toEqual({ start: 9994, end: 10_000 });
    expect(visibleRange(0, 480, 32, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(-50, 480, 32, 3, 0)).toEqual({ start: 0, end: 3 });
  });

  it('renders nothing for an empty list, and a row before the viewport is measured', () => {
    expect(visibleRange(0, 480, 32, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 0, 32, 100, 0)).toEqual({ start: 0, end: 1 });
  });
});

describe('scrollToShow', () => {
  it('scrolls just enough to show a row above or below, and not at all when it is in view', () => {
    expect(scrollToShow(2, 320, 480, 32)).toBe(64);
    expect(scrollToShow(30, 320, 480, 32)).toBe(30 * 32 + 32 - 480);
    expect(scrollToShow(12, 320, 480, 32)).toBeNull();
  });
});
