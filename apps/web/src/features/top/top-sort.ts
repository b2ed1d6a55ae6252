import type { TopRow } from '@meshviz/mesh-types';

/** The Top table's columns that sort, as they appear in the URL (?sort=worst&order=asc). */
export const TOP_SORT_KEYS = ['source', 'destination', 'method', 'path', 'count', 'success', 'best', 'worst', 'last'] as const;
export type TopSortKey = (typeof TOP_SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

export interface TopSort {
  key: TopSortKey;
  order: SortOrder;
}

/** Busiest first, as `meshviz top` shows it. */
export const DEFAULT_TOP_SORT: TopSort = { key: 'count', order: 'desc' };

const VALUE: Record<TopSortKey, (row: TopRow) => string | number | null> = {
  source: (r) => r.source,
  destination: (r) => r.destination,
  method: (r) => r.method,
  path: (r) => r.path,
  count: (r) => r.count,
  success: (r) => r.successRate,
  best: (r) => r.bestMs,
  worst: (r) => r.worstMs,
  last: (r) => r.lastMs,
};

/** Numbers read best largest first; names in alphabetical order. */
export function naturalOrder(key: TopSortKey): SortOrder {
  return key === 'source' || key === 'destination' || key === 'method' || key === 'path' ? 'asc' : 'desc';
}

export function sortFromParams(params: Pick<URLSearchParams, 'get'>): TopSort {
  const key = params.get('sort');
  if (!(TOP_SORT_KEYS as readonly (string | null)[]).includes(key)) return DEFAULT_TOP_SORT;
  const sortKey = key as TopSortKey;
  const order = params.get('order');
  return { key: sortKey, order: order === 'asc' || order === 'desc' ? order : naturalOrder(sortKey) };
}

/** URL updates for a sort; the defaults stay out of the URL. */
export function sortUpdates(sort: TopSort): { sort: string | null; order: string | null } {
  return {
    sort: sort.key === DEFAULT_TOP_SORT.key ? null : sort.key,
    order: sort.order === naturalOrder(sort.key) ? null : sort.order,
  };
}

/** Clicking a column: sort by it in its natural order, or flip the order when it already sorts. */
export function nextSort(current: TopSort, key: TopSortKey): TopSort {
  if (current.key !== key) return { key, order: naturalOrder(key) };
  return { key, order: current.order === 'asc' ? 'desc' : 'asc' };
}

/**
 * Rows in the chosen order; rows without a value ("no data") go last either way, and ties keep a stable order by
 * source, destination, method and path so rows do not jump between snapshots.
 */
export function sortTopRows(rows: readonly TopRow[], sort: TopSort): TopRow[] {
  const value = VALUE[sort.key];
  const sign = sort.order === 'asc' ? 1 : -1;
  const identity = (r: TopRow) => `${r.source}\u0000${r.destination}\u0000${r.method}\u0000${r.path}`;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      return (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))) * sign;
    }
    return identity(a).localeCompare(identity(b));
  });
}
