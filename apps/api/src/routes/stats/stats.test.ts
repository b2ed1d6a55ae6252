import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, StatsResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { STATS_QUERY_COUNT } from './stats-queries.js';

/** The moment the fixture was recorded at (any past moment gives the same recorded answers). */
const AT = 1795335535;
const config = { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 2000, logLevel: 'silent' };

describe('GET /api/v1/stats against recorded Prometheus answers', () => {
  const { prom, app } = recordedApi('demo-mesh.json');

  it('returns one row per workload with rates, success and quantiles', async () => {
    const res = await app().inject({ url: `/api/v1/stats?kind=deployment&namespace=all&window=1m&at=${AT}` });
    expect(res.statusCode).toBe(200);
    const body = StatsResponse.parse(res.json());
    expect(body.window).toBe('1m');
    const names = body.rows.map((r) => `${r.namespace}/${r.name}`);
    expect(names).toEqual([
      'billing/ledger',
      'billing/payments',
      'bookshop/catalog',
      'bookshop/reviews',
      'bookshop/web',
      'traffic/loadgen',
    ]);
    const web = body.rows.find((r) => r.name === 'web')!;
    expect(web.meshedPods).toBe(2);
    // What web's own proxies answered, in the recorded series: every response, and the successful ones.
    const rates = prom().recorded[queryOf(prom().promql(), 'rate(response_total')];
    const isWeb = (l: Record<string, string>) => l.namespace === 'bookshop' && l.deployment === 'web';
    const all = vectorSum(rates, isWeb);
    expect(web.rps).toBeCloseTo(all, 12);
    expect(web.successRate).toBeCloseTo(vectorSum(rates, (l) => isWeb(l) && l.classification === 'success') / all, 12);
    // The demo fails 1 GET /books in 10 (reviews) and 1 POST /checkout in 20 (payments), sent 3 to 1: 0.9125.
    expect(web.successRate).toBeCloseTo(0.9125, 2);
    expect(web.latencyMs.p50).not.toBeNull();
    // The load generator receives no requests: no traffic is null, never 0.
    const loadgen = body.rows.find((r) => r.name === 'loadgen')!;
    expect(loadgen).toMatchObject({ rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null } });
    expect(prom().promql()).toHaveLength(STATS_QUERY_COUNT);
    expect(STATS_QUERY_COUNT).toBe(3);
  });
});

describe('GET /api/v1/stats errors', () => {
  it('answers 503 naming Prometheus when it cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const app = buildApp({ config: { ...config, prometheusUrl: `http://127.0.0.1:${port}` } });
    const res = await app.inject({ url: '/api/v1/stats' });
    expect(res.statusCode).toBe(503);
    const body = ApiError.parse(res.json());
    expect(body.error.code).toBe('API_PROMETHEUS_UNAVAILABLE');
    expect(body.error.message).toMatch(/Prometheus is not reachable/);
    expect(res.body).not.toMatch(/response_total|rate\(/);
  });

  it.each([
    ['kind=widget', 'kind'],
    ['namespace=Bad_NS', 'namespace'],
    ['namespace=a%22%7D%20or%20vector(1)', 'namespace'],
    ['window=5', 'window'],
    ['window=10s', 'window'],
    ['window=48h', 'window'],
    ['bogus=1', 'bogus'],
  ])('rejects %s with a 400 naming %s', async (qs, param) => {
    const app = buildApp({ config });
    const res = await app.inject({ url: `/api/v1/stats?${qs}` });
    expect(res.statusCode).toBe(400);
    const body = ApiError.parse(res.json());
    expect(body.error.code).toBe('API_BAD_REQUEST');
    expect(body.error.param).toBe(param);
    expect(body.error.message).toContain(`"${param}"`);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const app = buildApp({ config });
    const res = await app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(ApiError.parse(res.json()).error.code).toBe('API_NOT_FOUND');
  });
});
