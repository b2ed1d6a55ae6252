import { describe, expect, it } from 'vitest';
import { testTopology } from '../../testing/topology-fixture';
import { findMatches, nameMatcher } from './name-filter';

describe('nameMatcher', () => {
  it('matches names and namespace/name without regard to case, never namespaces', () => {
    const match = nameMatcher(' CAT ');
    expect(match?.({ kind: 'deployment', namespace: 'shop', name: 'catalog' })).toBe(true);
    expect(match?.({ kind: 'deployment', namespace: 'shop', name: 'web' })).toBe(false);
    expect(nameMatcher('shop/w')?.({ kind: 'deployment', namespace: 'shop', name: 'web' })).toBe(true);
    expect(nameMatcher('shop')?.({ kind: 'namespace', namespace: 'shop', name: 'shop' })).toBe(false);
  });

  it('matches nothing for empty text', () => {
    expect(nameMatcher('  ')).toBeNull();
  });
});

describe('findMatches', () => {
  it('lists found nodes that are not hidden, sorted', () => {
    const nodes = testTopology().nodes;
    expect(findMatches(nodes, 'a', '').map((n) => n.id)).toEqual([
      'deployment/billing/payments',
      'deployment/shop/catalog',
      'service/shop/catalog',
    ]);
    expect(findMatches(nodes, 'a', 'catalog').map((n) => n.id)).toEqual(['deployment/billing/payments']);
    expect(findMatches(nodes, '', '')).toEqual([]);
  });
});
