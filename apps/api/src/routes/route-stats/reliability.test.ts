import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoutesResponse } from '@meshviz/mesh-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_MESH_AT, OUTBOUND_MESH_DESTINATIONS } from '../../testing/outbound-mesh.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { SERVICE_ROUTES_QUERY_COUNT } from './route-queries.js';

/**
 * Against answers constructed from the hand-described mesh of testing/outbound-mesh.ts (no proxy emits the
 * outbound_http_* families yet, so none could be recorded): catalog's GET /books retries a failing replica,
 * reviews' GET /reviews splits 90/10 and times out after 500 ms; the discovery table holds their configuration.
 */
describe('GET /api/v1/routes of a service: configured policy, retries and timeouts (constructed answers)', () => {
  const { prom, app } = recordedApi('outbound-mesh.json');
  let destinationsFile = '';
  beforeAll(async () => {
    destinationsFile = join(await mkdtemp(join(tmpdir(), 'meshviz-api-')), 'destinations.json');
    await writeFile(destinationsFile, JSON.stringify(OUTBOUND_MESH_DESTINATIONS));
  });
  const call = async (qs: string, withFile = true) => {
    const before = prom().promql().length;
    const res = await app(withFile ? { destinationsFile } : {}).inject({ url: `/api/v1/routes?${qs}&window=1m&at=${OUTBOUND_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    return { body: RoutesResponse.parse(res.json()), sent: prom().promql().slice(before) };
  };

  it("catalog's route: its configured retry policy beside what the retries did, effective above actual", async () => {
    const { body, sent } = await call('namespace=bookshop&service=catalog');
    expect(sent).toHaveLength(SERVICE_ROUTES_QUERY_COUNT);
    expect(body.configured).toEqual({ known: true, reason: null });
    const books = body.rows.find((r) => r.route === 'GET /books')!;
    expect(books.configured).toEqual({
      timeouts: { requestMs: null, responseMs: 1000, idleMs: null },
      retry: { limit: 2, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: 300 },
      fault: null,
    });
    // The retry families as recorded, per second.
    const rate = (family: string) => vectorSum(prom().recorded[queryOf(sent, `rate(${family}`)], (l) => l.route_name === 'GET /books');
    expect(books.retries).toEqual({
      rps: rate('outbound_http_route_retry_requests_total'),
      successRps: rate('outbound_http_route_retry_successes_total'),
      limitExceededRps: rate('outbound_http_route_retry_limit_exceeded_total'),
      overflowRps: rate('outbound_http_route_retry_overflow_total'),
    });
    expect(books.retries?.rps).toBeCloseTo(1.14, 12);
    expect(books.retries?.limitExceededRps).toBeCloseTo(0.02, 12);
    expect(books.retries?.overflowRps).toBeCloseTo(0.01, 12);
    // Retries hide most failures from the callers: 99.7 % effective, 89.5 % of attempts on the wire.
    expect(books.successRate).toBeCloseTo(0.997, 9);
    expect(books.actualSuccessRate).toBeCloseTo(9.97 / 11.14, 9);
    // It counted every request's outcome and none timed out: a measured 0, not "no data".
    expect(books.timeouts).toEqual({ rps: expect.closeTo(10, 9), request: 0, response: 0, idle: 0 });
  });

  it("reviews' routes: the timed-out requests by kind, and a configured route without traffic as its own row", async () => {
    const { body } = await call('namespace=bookshop&service=reviews');
    expect(body.rows.map((r) => r.route)).toEqual(['GET /reviews', 'POST /reviews']);
    const get = body.rows[0]!;
    expect(get.configured?.timeouts).toEqual({ requestMs: 500, responseMs: null, idleMs: null });
    expect(get.configured?.retry).toBeNull();
    expect(get.timeouts?.request).toBeCloseTo(0.05, 12);
    expect(get.timeouts?.rps).toBeCloseTo(5, 12);
    // No retry series name the route: not known, rather than 0.
    expect(get.retries).toBeNull();
    const post = body.rows[1]!;
    expect(post).toMatchObject({ rps: null, successRate: null, actualRps: null, retries: null, timeouts: null, server: null });
    expect(post.direction).toBeUndefined();
    expect(post.configured).toEqual({
      timeouts: { requestMs: null, responseMs: null, idleMs: 10_000 },
      retry: null,
      fault: { abort: { share: 0.1, status: 503 }, delay: null },
    });
  });

  it('without the destinations file the configured policy is null and the answer says why; the counts stay', async () => {
    const { body } = await call('namespace=bookshop&service=catalog', false);
    expect(body.configured).toEqual({ known: false, reason: expect.stringMatching(/API_DESTINATIONS_FILE is not set/) });
    const books = body.rows.find((r) => r.route === 'GET /books')!;
    expect(books.configured).toBeNull();
    expect(books.retries?.rps).toBeCloseTo(1.14, 12);
  });

  it('a service the destinations file has no entry for', async () => {
    const other = join(destinationsFile, '..', 'other.json');
    await writeFile(other, JSON.stringify({ services: {} }));
    const res = await app({ destinationsFile: other }).inject({
      url: `/api/v1/routes?namespace=bookshop&service=catalog&window=1m&at=${OUTBOUND_MESH_AT}`,
    });
    const body = RoutesResponse.parse(res.json());
    expect(body.configured).toEqual({ known: false, reason: 'the destinations file has no entry for catalog.bookshop.svc.cluster.local' });
    expect(body.rows.every((r) => r.configured === null)).toBe(true);
  });
});
