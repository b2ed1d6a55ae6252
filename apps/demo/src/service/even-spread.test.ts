import { describe, expect, it } from 'vitest';
import { isPicked } from './even-spread.js';

function picked(count: number, share: number, phase = 0): number[] {
  return Array.from({ length: count }, (_, n) => n).filter((n) => isPicked(n, share, phase));
}

describe('isPicked', () => {
  it('picks exactly 10 of 100 at share 0.1, every tenth request', () => {
    expect(picked(100, 0.1)).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
  });

  it('keeps exact counts for shares that are inexact in floating point', () => {
    for (const share of [0.05, 0.07, 0.29, 0.3, 0.57, 1 / 3]) {
      expect(picked(100, share).length).toBe(Math.floor(100 * share + 1e-9));
    }
    expect(picked(1000, 0.001).length).toBe(1);
  });

  it('picks nothing at 0 and everything at 1', () => {
    expect(picked(50, 0)).toEqual([]);
    expect(picked(50, 1).length).toBe(50);
  });

  it('shifts the picks with the phase without changing how many there are', () => {
    expect(picked(100, 0.05, 0.25)).toEqual([14, 34, 54, 74, 94]);
    expect(picked(100, 0.05).length).toBe(5);
  });
});
