import { describe, expect, it } from 'vitest';
import { activeNavHref } from './nav-links';

describe('activeNavHref', () => {
  it('marks the page a path belongs to', () => {
    expect(activeNavHref('/')).toBe('/');
    expect(activeNavHref('/workloads')).toBe('/workloads');
    expect(activeNavHref('/namespaces/bookshop/workloads/web')).toBe('/workloads');
    expect(activeNavHref('/namespaces/bookshop/services/catalog')).toBe('/topology');
    expect(activeNavHref('/topology')).toBe('/topology');
    expect(activeNavHref('/tap')).toBe('/tap');
    expect(activeNavHref('/nowhere')).toBeNull();
  });
});
