import type { BackendEndpoints, SplitBackend } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RowAttrs, TestIds } from '../../testids';
import { EndpointsTable } from './endpoints-table';
import { isSplit, SplitSection } from './split-section';

// What the API answers for the constructed outbound mesh (apps/api/src/testing/outbound-mesh.ts): reviews splits
// GET /reviews 90/10 with reviews-v2; catalog's balancers hold a replica tripped.
const backend = (name: string) => ({ namespace: 'bookshop', name, authority: `${name}.bookshop.svc.cluster.local` });
const GET = { kind: 'HTTPRoute', name: 'GET /reviews' };
const split: SplitBackend[] = [
  { route: GET, backend: backend('reviews'), configuredWeight: 90, configuredShare: 0.9, measuredShare: 0.9, rps: 4.5, successRate: 0.9 },
  { route: GET, backend: backend('reviews-v2'), configuredWeight: 10, configuredShare: 0.1, measuredShare: 0.1, rps: 0.5, successRate: 0.9 },
  { route: { kind: 'HTTPRoute', name: 'POST /reviews' }, backend: backend('reviews'), configuredWeight: 1, configuredShare: 1, measuredShare: null, rps: null, successRate: null },
];
const rows = (html: string, testId: string) => html.split(`data-testid="${testId}"`).slice(1);
const width = (row: string, kind: string) => new RegExp(`class="[^"]*${kind}[^"]*" style="width:([0-9.]+)%"`).exec(row)?.[1];

describe('SplitSection', () => {
  const html = renderToStaticMarkup(<SplitSection rows={split} namespace="bookshop" name="reviews" window="1m" query="" configured={{ known: true, reason: null }} />);

  it('groups the backends by route, each with its configured weight beside its measured share, as bars', () => {
    expect(rows(html, TestIds.splitRoute).map((t) => /data-route="([^"]*)"/.exec(t)?.[1])).toEqual(['GET /reviews', 'POST /reviews']);
    const [v1, v2, post] = rows(html, TestIds.splitRow);
    expect(v1).toContain(`${RowAttrs.backend}="bookshop/reviews"`);
    expect(v1).toContain(`${RowAttrs.weight}="90"`);
    expect(v1).toContain('(this service)');
    expect(v2).toContain(`${RowAttrs.measuredShare}="0.1"`);
    expect(v2).toContain('10 (10%)');
    expect(v2).toContain('href="/namespaces/bookshop/services/reviews-v2"');
    // Bar widths are the shares: the configured one hatched, the measured one solid.
    expect(width(v2!, 'configured')).toBe('10');
    expect(width(v2!, 'measured')).toBe('10');
    expect(width(v1!, 'measured')).toBe('90');
    // A route without requests: an empty track and "no requests", never a 0 % bar.
    expect(width(post!, 'measured')).toBeUndefined();
    expect(post).toContain('no requests');
    expect(post).toContain('no traffic');
  });

  it('says when there is no split, and when the weights are not known', () => {
    const self = split.filter((s) => s.backend.name === 'reviews');
    expect(isSplit(self, 'bookshop', 'reviews')).toBe(false);
    expect(renderToStaticMarkup(<SplitSection rows={self} namespace="bookshop" name="reviews" window="1m" query="" configured={undefined} />)).toContain(
      'No traffic split: every route of bookshop/reviews sends its requests to reviews itself.',
    );
    const unknown = renderToStaticMarkup(
      <SplitSection
        rows={split.map((s) => ({ ...s, configuredWeight: null, configuredShare: null }))}
        namespace="bookshop"
        name="reviews"
        window="1m"
        query=""
        configured={{ known: false, reason: 'the destinations file has no entry for reviews.bookshop.svc.cluster.local' }}
      />,
    );
    expect(unknown).toContain('Configured weights are not shown: the destinations file has no entry for reviews.bookshop.svc.cluster.local');
    const [v2] = rows(unknown, TestIds.splitRow).slice(1);
    expect(v2).toContain(`${RowAttrs.weight}=""`);
    expect(v2).toContain('not known');
    expect(width(v2!, 'configured')).toBeUndefined();
  });
});

describe('EndpointsTable', () => {
  const endpoints: BackendEndpoints[] = [
    { backend: backend('catalog'), ready: 1, pending: 1, proxies: 2, trips: [{ endpoint: '10.0.0.12:4143', pod: 'catalog-1', trips: 3 }] },
    { backend: { namespace: 'other', name: 'stock', authority: 'stock.other.svc.cluster.local' }, ready: null, pending: null, proxies: 0, trips: [] },
  ];
  const accrual = { kind: 'consecutive' as const, maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 };

  it("each backend's ready and pending endpoints, and the replica its breaker tripped", () => {
    const html = renderToStaticMarkup(<EndpointsTable rows={endpoints} namespace="bookshop" window="1m" failureAccrual={accrual} configured={undefined} />);
    const [catalog, stock] = rows(html, TestIds.endpointRow);
    expect(catalog).toContain(`${RowAttrs.ready}="1"`);
    expect(catalog).toContain(`${RowAttrs.pending}="1"`);
    const [trip] = rows(catalog!, TestIds.endpointTrip);
    expect(trip).toContain(`${RowAttrs.pod}="catalog-1"`);
    expect(trip).toContain('tripped</span> catalog-1 ×3');
    // Nothing reported: no data, not 0 endpoints; named with its namespace when it lives elsewhere.
    expect(stock).toContain(`${RowAttrs.ready}=""`);
    expect(stock).toContain('other/stock');
    expect(stock).toContain('aria-label="no data"');
    expect(html).toContain('Circuit breaking: trips an endpoint after 7 failures in a row, for 1 s to 1 min (jitter 0.5)');
  });

  it('says why the failure accrual is not known', () => {
    const html = renderToStaticMarkup(
      <EndpointsTable rows={[]} namespace="bookshop" window="5m" failureAccrual={null} configured={{ known: false, reason: 'no destinations file' }} />,
    );
    expect(html).toContain('not known (no destinations file)');
    expect(html).toContain('No calling proxy reported this service&#x27;s endpoints in the last 5m.');
  });
});
