import type { StatsRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { namespaceFromParams, namespaceHref, namespaceOptions, sortRows } from './namespaces';

function row(namespace: string, name: string): StatsRow {
  return { kind: 'deployment', namespace, name, meshedPods: 1, rps: 1, successRate: 1, latencyMs: { p50: 1, p95: 2, p99: 3 } };
}

describe('namespace URL state', () => {
  it('defaults to all', () => {
    expect(namespaceFromParams(new URLSearchParams(''))).toBe('all');
    expect(namespaceFromParams(new URLSearchParams('namespace='))).toBe('all');
    expect(namespaceFromParams(new URLSearchParams('namespace=all'))).toBe('all');
    expect(namespaceFromParams(new URLSearchParams('namespace=billing'))).toBe('billing');
  });

  it('writes the namespace into the URL and drops it for all, keeping other parameters', () => {
    expect(namespaceHref('/workloads', new URLSearchParams(''), 'billing')).toBe('/workloads?namespace=billing');
    expect(namespaceHref('/workloads', new URLSearchParams('namespace=billing'), 'all')).toBe('/workloads');
    expect(namespaceHref('/workloads', new URLSearchParams('x=1&namespace=a'), 'b')).toBe('/workloads?x=1&namespace=b');
  });
});

describe('namespaceOptions', () => {
  it('lists each namespace once, sorted, including the selected one', () => {
    const rows = [row('bookshop', 'web'), row('billing', 'ledger'), row('bookshop', 'catalog')];
    expect(namespaceOptions([rows, undefined], 'all')).toEqual(['billing', 'bookshop']);
    expect(namespaceOptions([[row('billing', 'ledger')], rows], 'billing')).toEqual(['billing', 'bookshop']);
    expect(namespaceOptions([[]], 'gone')).toEqual(['gone']);
  });
});

describe('sortRows', () => {
  it('orders by namespace, then name, without touching the input', () => {
    const rows = [row('bookshop', 'web'), row('billing', 'payments'), row('bookshop', 'catalog'), row('billing', 'ledger')];
    expect(sortRows(rows).map((r) => `${r.namespace}/${r.name}`)).toEqual([
      'billing/ledger',
      'billing/payments',
      'bookshop/catalog',
      'bookshop/web',
    ]);
    expect(rows[0]?.name).toBe('web');
  });
});
