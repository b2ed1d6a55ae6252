import { describe, expect, it } from 'vitest';
import { countValues, latestValue, valueRange, zipSeries } from './chart-rows';

describe('zipSeries', () => {
  it('makes one row per timestamp, in time order, with every series', () => {
    const rows = zipSeries({
      rps: [
        [20, 2],
        [10, 1],
      ],
      p99: [
        [10, 5],
        [20, 6],
      ],
    });
    expect(rows).toEqual([
      { t: 10, rps: 1, p99: 5 },
      { t: 20, rps: 2, p99: 6 },
    ]);
  });

  it('keeps gaps as null, never 0, including points one series lacks', () => {
    const rows = zipSeries({
      rps: [
        [10, null],
        [20, 3],
      ],
      p99: [[20, Number.NaN]],
    });
    expect(rows).toEqual([
      { t: 10, rps: null, p99: null },
      { t: 20, rps: 3, p99: null },
    ]);
  });
});

describe('countValues and latestValue', () => {
  const rows = zipSeries({
    a: [
      [1, 1],
      [2, null],
      [3, null],
    ],
    b: [
      [1, null],
      [2, 4],
      [3, null],
    ],
  });

  it('counts rows with any value', () => {
    expect(countValues(rows, ['a', 'b'])).toBe(2);
    expect(countValues(rows, ['a'])).toBe(1);
    expect(countValues([], ['a'])).toBe(0);
  });

  it('finds the last value that is not a gap', () => {
    expect(latestValue(rows, 'a')).toBe(1);
    expect(latestValue(rows, 'b')).toBe(4);
    expect(latestValue(rows, 'missing')).toBeNull();
  });
});

describe('valueRange', () => {
  it('spans the values of the chosen series, skipping gaps', () => {
    const rows = zipSeries({ a: [[1, 3], [2, null]], b: [[1, 7], [2, 1]] });
    expect(valueRange(rows, ['a'])).toEqual({ min: 3, max: 3 });
    expect(valueRange(rows, ['a', 'b'])).toEqual({ min: 1, max: 7 });
    expect(valueRange(rows, [])).toEqual({ min: null, max: null });
  });
});
