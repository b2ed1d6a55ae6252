import { ApiError, RoutesResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { predatingOutbound } from '../../testing/predating-families.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { ROUTES_QUERY_COUNT, SERVICE_ROUTES_QUERY_COUNT } from './route-queries.js';

/**
 * Recorded off the mesh in testing/fixtures/retry-mesh.yaml: items' GET /items fails every fifth attempt with
 * 503 and its callers' proxies retry it; the load generator also sends a path no route matches; a client without
 * a proxy sends 2 GET and 2 PUT /items per second straight to one items replica.
 */
const AT = 1795335090;

describe('GET /api/v1/routes against recorded Prometheus answers (a mesh with retries)', () => {
  const { prom, app } = recordedApi('retry-mesh.json', { fallback: predatingOutbound });
  const get = async (qs: string) => {
    const res = await app().inject({ url: `/api/v1/routes?${qs}&window=1m&at=${AT}` });
    expect(res.statusCode).toBe(200);
    return RoutesResponse.parse(res.json());
  };

  it("a service's routes: its callers' effective and actual numbers, retries showing, beside the servers' view", async () => {
    const before = prom().promql().length;
    const body = await get('namespace=shop&service=items');
    const sent = prom().promql().slice(before);
    expect(sent).toHaveLength(SERVICE_ROUTES_QUERY_COUNT);
    expect(SERVICE_ROUTES_QUERY_COUNT).toBe(8);
    expect(body).toMatchObject({ namespace: 'shop', service: 'items', workload: '' });
    expect(body.rows.map((r) => r.route)).toEqual(['GET /items', 'POST /items', 'PUT /items', '']);
    const get_ = body.rows[0]!;
    expect(get_.direction).toBe('outbound');
    // The recorded series of GET /items: what the callers saw, and every attempt on the wire.
    const effective = prom().recorded[queryOf(sent, 'rate(route_response_total')];
    const actual = prom().recorded[queryOf(sent, 'rate(route_actual_response_total')];
    const getItems = (direction: string) => (l: Record<string, string>) => l.direction === direction && l.rt_route === 'GET /items';
    const succeeded = (keep: (l: Record<string, string>) => boolean) => (l: Record<string, string>) => keep(l) && l.classification === 'success';
    const requests = vectorSum(effective, getItems('outbound'));
    const attempts = vectorSum(actual, getItems('outbound'));
    expect(get_.rps).toBeCloseTo(requests, 12);
    expect(get_.actualRps).toBeCloseTo(attempts, 12);
    expect(get_.successRate).toBeCloseTo(vectorSum(effective, succeeded(getItems('outbound'))) / requests, 12);
    expect(get_.actualSuccessRate).toBeCloseTo(vectorSum(actual, succeeded(getItems('outbound'))) / attempts, 12);
    // On the wire one attempt in five failed and was tried again, so there were 1 / 0.8 = 1.25 attempts a request;
    // the callers saw nearly every request succeed (a request fails only when its retries fail too).
    expect(get_.actualSuccessRate).toBeCloseTo(0.8, 2);
    expect((get_.actualRps ?? 0) / (get_.rps ?? 1)).toBeCloseTo(1.25, 1);
    expect(get_.successRate).toBeCloseTo(1, 2);
    // The servers answered every attempt, and the unmeshed client's 2 GET/s besides.
    expect(get_.server?.rps).toBeCloseTo(vectorSum(effective, getItems('inbound')), 12);
    expect((get_.server?.rps ?? 0) - (get_.actualRps ?? 0)).toBeCloseTo(2, 1);
    // The callers waited for the retries too.
    expect(get_.latencyMs.p50).toBeGreaterThan(get_.server?.latencyMs.p50 ?? Number.POSITIVE_INFINITY);
    // Only the unmeshed client sends PUT: no caller's proxy reports it, so the servers' view stands in.
    expect(body.rows[2]).toMatchObject({ route: 'PUT /items', direction: 'inbound', successRate: 1 });
    expect(body.rows[2]?.rps).toBeCloseTo(2, 0);
    expect(body.rows[2]?.server?.rps).toBe(body.rows[2]?.rps);
    // Traffic no route matched stays its own row, last, never retried.
    const unmatched = body.rows[3]!;
    expect(unmatched).toMatchObject({ route: '', direction: 'outbound', successRate: 1 });
    expect(unmatched.actualRps).toBe(unmatched.rps);
    // Recorded before proxies counted retries per route, and without a destinations file: neither the retries,
    // the timeouts nor the configured policy is known, and the answer says why rather than showing zeros.
    for (const r of body.rows) expect(r).toMatchObject({ configured: null, retries: null, timeouts: null });
    expect(body.configured).toEqual({ known: false, reason: expect.stringMatching(/API_DESTINATIONS_FILE is not set/) });
  });

  it("a workload's routes: its inbound series, the server's view, where actual equals effective", async () => {
    const before = prom().promql().length;
    const body = await get('namespace=shop&workload=items');
    expect(prom().promql().length - before).toBe(ROUTES_QUERY_COUNT);
    expect(ROUTES_QUERY_COUNT).toBe(3);
    expect(body).toMatchObject({ namespace: 'shop', workload: 'items' });
    expect(body.service).toBeUndefined();
    expect(body.rows.map((r) => r.route)).toEqual(['GET /items', 'POST /items', 'PUT /items', '']);
    for (const r of body.rows) {
      expect(r.direction).toBe('inbound');
      expect(r.actualRps).toBe(r.rps);
      expect(r.server).toBeUndefined();
      expect(r.configured).toBeUndefined();
      expect(r.retries).toBeUndefined();
    }
    expect(body.configured?.reason).toMatch(/a workload's routes are its inbound side/);
    // The server's view of GET /items: every attempt, one in five failing.
    expect(body.rows[0]?.successRate).toBeCloseTo(0.8, 2);
  });

  it("a service called by a meshed client only: its view, and the servers' beside it", async () => {
    const body = await get('namespace=shop&service=front');
    expect(body.rows.map((r) => [r.route, r.direction])).toEqual([['GET /items', 'outbound']]);
    expect(body.rows[0]?.server?.rps).toBeGreaterThan(0);
  });
});

describe('GET /api/v1/routes errors', () => {
  const app = () => buildApp({ config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent' } });
  it.each([
    ['namespace=shop', 'workload', /required/],
    ['namespace=shop&workload=a&service=b', 'service', /not both/],
    ['namespace=shop&service=Bad_Name', 'service', /DNS-1123/],
    ['workload=web', 'namespace', /./],
    ['namespace=shop&workload=web&window=1s', 'window', /./],
  ])('rejects %s with a 400 naming %s', async (qs, param, message) => {
    const res = await app().inject({ url: `/api/v1/routes?${qs}` });
    expect(res.statusCode).toBe(400);
    const body = ApiError.parse(res.json());
    expect(body.error.param).toBe(param);
    expect(body.error.message).toMatch(message);
  });
});
