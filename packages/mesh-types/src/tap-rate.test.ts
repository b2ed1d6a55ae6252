import { describe, expect, it } from 'vitest';
import { RateWindow } from './tap-rate.js';

describe('RateWindow', () => {
  it('admits at most the rate in any one-second window, whatever the pattern', () => {
    const window = new RateWindow(10);
    let taken = 0;
    for (let i = 0; i < 50; i++) if (window.take(0)) taken += 1;
    expect(taken).toBe(10);
    // A token bucket would refill one every 100 ms here; the window stays shut until the first admission is 1 s old.
    expect(window.take(100)).toBe(false);
    expect(window.take(999.9)).toBe(false);
    expect(window.take(1_000)).toBe(true);
    expect(window.take(1_000)).toBe(true);
    // However long it was idle, never more than one second's worth at once.
    let later = 0;
    for (let i = 0; i < 50; i++) if (window.take(60_000)) later += 1;
    expect(later).toBe(10);
  });

  it('holds the cap over every sliding window under a steady overload', () => {
    const window = new RateWindow(7);
    const admitted: number[] = [];
    for (let t = 0; t < 10_000; t += 3) if (window.take(t)) admitted.push(t);
    for (let i = 0; i + 7 < admitted.length; i++) expect(admitted[i + 7]! - admitted[i]!).toBeGreaterThanOrEqual(1_000);
    // And it does not starve: close to 7 per second over 10 s.
    expect(admitted.length).toBeGreaterThanOrEqual(68);
  });

  it('refuses a rate it cannot count', () => {
    expect(() => new RateWindow(0)).toThrow(RangeError);
  });
});
