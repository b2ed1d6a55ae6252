import type { TopRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOP_SORT, nextSort, sortFromParams, sortTopRows, sortUpdates } from './top-sort';

const row = (source: string, count: number, worstMs: number | null, successRate: number | null = 1): TopRow => ({
  source,
  destination: 'bookshop/reviews',
  method: 'GET',
  path: '/reviews',
  count,
  successRate,
  bestMs: worstMs,
  worstMs,
  lastMs: worstMs,
});

const rows = [row('b', 5, 30), row('a', 9, null, null), row('c', 5, 300, 0.8)];
const sources = (list: TopRow[]) => list.map((r) => r.source);

describe('sortTopRows', () => {
  it('puts the busiest first by default, ties in a stable order', () => {
    expect(sources(sortTopRows(rows, DEFAULT_TOP_SORT))).toEqual(['a', 'b', 'c']);
  });

  it('sorts numbers and names either way, rows without a value always last', () => {
    expect(sources(sortTopRows(rows, { key: 'worst', order: 'desc' }))).toEqual(['c', 'b', 'a']);
    expect(sources(sortTopRows(rows, { key: 'worst', order: 'asc' }))).toEqual(['b', 'c', 'a']);
    expect(sources(sortTopRows(rows, { key: 'success', order: 'asc' }))).toEqual(['c', 'b', 'a']);
    expect(sources(sortTopRows(rows, { key: 'source', order: 'desc' }))).toEqual(['c', 'b', 'a']);
  });
});

describe('the sort in the URL', () => {
  it('reads the key and order, falling back to the defaults', () => {
    expect(sortFromParams(new URLSearchParams(''))).toEqual(DEFAULT_TOP_SORT);
    expect(sortFromParams(new URLSearchParams('sort=nonsense&order=asc'))).toEqual(DEFAULT_TOP_SORT);
    expect(sortFromParams(new URLSearchParams('sort=path'))).toEqual({ key: 'path', order: 'asc' });
    expect(sortFromParams(new URLSearchParams('sort=worst&order=asc'))).toEqual({ key: 'worst', order: 'asc' });
  });

  it('leaves defaults out of the URL and flips the order on a second click', () => {
    expect(sortUpdates(DEFAULT_TOP_SORT)).toEqual({ sort: null, order: null });
    const worst = nextSort(DEFAULT_TOP_SORT, 'worst');
    expect(worst).toEqual({ key: 'worst', order: 'desc' });
    expect(sortUpdates(nextSort(worst, 'worst'))).toEqual({ sort: 'worst', order: 'asc' });
    expect(sortFromParams(new URLSearchParams(sortUpdates(nextSort(worst, 'worst')) as Record<string, string>))).toEqual({
      key: 'worst',
      order: 'asc',
    });
  });
});
