import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceDetailResponse } from '@meshviz/mesh-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_MESH_AT, OUTBOUND_MESH_DESTINATIONS } from '../../testing/outbound-mesh.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { SERVICE_DETAIL_QUERY_COUNT } from './service-detail.js';

/**
 * Against answers constructed from the hand-described mesh of testing/outbound-mesh.ts (no proxy emits the
 * outbound_http_* families yet): reviews splits 90/10 between reviews and reviews-v2; catalog's balancers trip a
 * failing replica. The discovery table holds the weights and the failure accrual.
 */
describe('GET /api/v1/services/:namespace/:name: split, endpoints and failure accrual (constructed answers)', () => {
  const { prom, app } = recordedApi('outbound-mesh.json');
  let destinationsFile = '';
  beforeAll(async () => {
    destinationsFile = join(await mkdtemp(join(tmpdir(), 'meshviz-api-')), 'destinations.json');
    await writeFile(destinationsFile, JSON.stringify(OUTBOUND_MESH_DESTINATIONS));
  });
  const call = async (name: string, withFile = true) => {
    const before = prom().promql().length;
    const res = await app(withFile ? { destinationsFile } : {}).inject({
      url: `/api/v1/services/bookshop/${name}?window=1m&at=${OUTBOUND_MESH_AT}`,
    });
    expect(res.statusCode).toBe(200);
    return { body: ServiceDetailResponse.parse(res.json()), sent: prom().promql().slice(before) };
  };

  it("reviews' split: the configured weight beside the measured share of each backend, per route", async () => {
    const { body, sent } = await call('reviews');
    expect(sent).toHaveLength(SERVICE_DETAIL_QUERY_COUNT);
    expect(body.configured).toEqual({ known: true, reason: null });
    const requests = prom().recorded[queryOf(sent, 'rate(outbound_http_route_backend_requests_total')];
    const to = (backend: string) => vectorSum(requests, (l) => l.route_name === 'GET /reviews' && l.backend_name === backend);
    const all = to('reviews') + to('reviews-v2');
    expect(body.split?.map((s) => [s.route.name, s.backend.name, s.configuredWeight, s.configuredShare])).toEqual([
      ['GET /reviews', 'reviews', 90, 0.9],
      ['GET /reviews', 'reviews-v2', 10, 0.1],
      ['POST /reviews', 'reviews', 1, 1],
    ]);
    const [v1, v2, post] = body.split ?? [];
    expect(v1?.measuredShare).toBeCloseTo(to('reviews') / all, 12);
    expect(v2?.measuredShare).toBeCloseTo(0.1, 12);
    expect(v2?.rps).toBeCloseTo(to('reviews-v2'), 12);
    // reviews answers one in ten with a 500; one in ten of reviews-v2's requests timed out (504 REQUEST_TIMEOUT).
    expect(v1?.successRate).toBeCloseTo(0.9, 12);
    expect(v2?.successRate).toBeCloseTo(0.9, 12);
    expect(v2?.backend).toEqual({ namespace: 'bookshop', name: 'reviews-v2', authority: 'reviews-v2.bookshop.svc.cluster.local' });
    // A configured route without traffic: its share is not known (not 0).
    expect(post).toMatchObject({ measuredShare: null, rps: null, successRate: null });
    expect(body.failureAccrual?.kind).toBe('none');
    // The neighbourhood graph draws the split: reviews → reviews-v2, and reviews' own part on its workload edge.
    const edges = Object.fromEntries(body.graph.edges.filter((e) => e.share !== undefined).map((e) => [e.id, [e.weight, e.configuredShare]]));
    expect(edges).toEqual({
      'service/bookshop/reviews->deployment/bookshop/reviews': [90, 0.9],
      'service/bookshop/reviews->service/bookshop/reviews-v2': [10, 0.1],
    });
    // The backends table stays the workloads serving it.
    expect(body.backends.map((b) => b.id)).toEqual(['deployment/bookshop/reviews']);
  });

  it("catalog's endpoints: what the callers' balancers hold, and the breaker trips of the window by pod", async () => {
    const { body, sent } = await call('catalog');
    const gauges = prom().recorded[queryOf(sent, 'outbound_http_balancer_endpoints')];
    // web-0's proxy holds both replicas ready; web-1's holds catalog-1 tripped (pending).
    expect(vectorSum(gauges, (l) => l.pod === 'web-1' && l.endpoint_state === 'pending')).toBe(1);
    expect(body.endpoints).toEqual([
      {
        backend: { namespace: 'bookshop', name: 'catalog', authority: 'catalog.bookshop.svc.cluster.local' },
        ready: 1,
        pending: 1,
        proxies: 2,
        trips: [{ endpoint: '10.0.0.12:4143', pod: 'catalog-1', trips: expect.closeTo(3, 9) }],
      },
    ]);
    expect(body.failureAccrual).toEqual({ kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 });
    // One backend, itself: no split edges on the graph.
    expect(body.graph.edges.some((e) => e.share !== undefined)).toBe(false);
    expect(body.split?.map((s) => [s.backend.name, s.configuredWeight, s.measuredShare])).toEqual([['catalog', 1, 1]]);
  });

  it('without the destinations file: measured numbers only, configured fields null with the reason', async () => {
    const { body } = await call('reviews', false);
    expect(body.configured).toMatchObject({ known: false, reason: expect.stringMatching(/API_DESTINATIONS_FILE/) });
    expect(body.failureAccrual).toBeNull();
    expect(body.split?.map((s) => [s.backend.name, s.configuredWeight, s.configuredShare, s.measuredShare])).toEqual([
      ['reviews', null, null, expect.closeTo(0.9, 12)],
      ['reviews-v2', null, null, expect.closeTo(0.1, 12)],
    ]);
    const v2 = body.graph.edges.find((e) => e.id === 'service/bookshop/reviews->service/bookshop/reviews-v2');
    expect(v2).toMatchObject({ weight: null, configuredShare: null, share: expect.closeTo(0.1, 12) });
  });
});
