import type { RouteRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { chosenRoute, sortRoutes } from './route-order';

function route(name: string, rps: number | null): RouteRow {
  return { route: name, rps, successRate: null, latencyMs: { p50: null, p95: null, p99: null }, actualRps: null, actualSuccessRate: null };
}

describe('sortRoutes', () => {
  it('orders by name with unmatched traffic last', () => {
    expect(sortRoutes([route('', 1), route('get-books', 1), route('add-review', 1)]).map((r) => r.route)).toEqual([
      'add-review',
      'get-books',
      '',
    ]);
  });
});

describe('chosenRoute', () => {
  const rows = [route('get-books', 5), route('', 9), route('add-review', null)];

  it('takes the route the URL asks for, including unmatched', () => {
    expect(chosenRoute(rows, 'add-review')).toBe('add-review');
    expect(chosenRoute(rows, '')).toBe('');
  });

  it('falls back to the busiest route when the URL names none or one that is gone', () => {
    expect(chosenRoute(rows, null)).toBe('');
    expect(chosenRoute(rows, 'gone')).toBe('');
    expect(chosenRoute([route('a', null), route('b', null)], null)).toBe('a');
    expect(chosenRoute([], null)).toBeNull();
  });
});
