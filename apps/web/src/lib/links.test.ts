import { describe, expect, it } from 'vitest';
import { routesHref, serviceHref, subjectHref, tapHref, topHref, topologyHref, workloadHref, workloadsHref } from './links';
import { refreshText } from './refresh-text';

describe('links', () => {
  const current = 'namespace=x&window=5m&selected=node&refresh=off';

  it('carries the shared view state and sets the target page parameters', () => {
    expect(workloadHref('bookshop', 'web', current)).toBe('/namespaces/bookshop/workloads/web?window=5m&refresh=off');
    const web = { kind: 'workload', namespace: 'bookshop', name: 'web' } as const;
    expect(routesHref(web, current)).toBe('/routes?window=5m&refresh=off&namespace=bookshop&workload=web');
    expect(routesHref(web, '', '')).toBe('/routes?namespace=bookshop&workload=web&route=');
    expect(subjectHref(web, current)).toBe('/namespaces/bookshop/workloads/web?window=5m&refresh=off');
    expect(workloadsHref(null, current)).toBe('/workloads?window=5m&refresh=off');
    expect(topologyHref('billing')).toBe('/topology?namespace=billing');
    expect(topologyHref('billing', '', 'service/billing/payments')).toBe('/topology?namespace=billing&selected=service%2Fbilling%2Fpayments');
  });

  it('links a service page, keeping only the shared view state', () => {
    expect(serviceHref('bookshop', 'catalog', current)).toBe('/namespaces/bookshop/services/catalog?window=5m&refresh=off');
    expect(serviceHref('billing', 'payments')).toBe('/namespaces/billing/services/payments');
  });

  it('opens the routes of a service, with no route selected', () => {
    const reviews = { kind: 'service', namespace: 'bookshop', name: 'reviews' } as const;
    expect(routesHref(reviews, `${current}&route=x&workload=web`)).toBe('/routes?window=5m&refresh=off&namespace=bookshop&service=reviews');
    expect(routesHref({ kind: 'service', namespace: 'billing', name: 'payments' })).toBe('/routes?namespace=billing&service=payments');
    expect(subjectHref(reviews)).toBe('/namespaces/bookshop/services/reviews');
  });

  it('opens Tap and Top filtered on a workload, keeping only the shared view state', () => {
    expect(tapHref('bookshop', 'web', current)).toBe('/tap?window=5m&refresh=off&namespace=bookshop&workload=web');
    expect(topHref('billing')).toBe('/top?namespace=billing');
  });

  it('escapes path segments', () => {
    expect(workloadHref('a b', 'c/d')).toBe('/namespaces/a%20b/workloads/c%2Fd');
    expect(serviceHref('a b', 'c/d')).toBe('/namespaces/a%20b/services/c%2Fd');
  });
});

describe('refreshText', () => {
  it('says how the page refreshes', () => {
    expect(refreshText({ refresh: '10s', time: { kind: 'relative', range: '1h' } })).toBe('refreshes every 10 s');
    expect(refreshText({ refresh: 'off', time: { kind: 'relative', range: '1h' } })).toBe('refresh is off');
    expect(refreshText({ refresh: '5s', time: { kind: 'absolute', from: 1, to: 1_700_000_000 } })).toMatch(/^as of \d{4}-/);
  });
});
