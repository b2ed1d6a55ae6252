import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, CheckResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ApiHttpError } from '../errors.js';
import { checkWindow } from '../routes/window.js';
import { recordedApi } from '../testing/recorded-api.js';
import { recordedPrometheus } from '../testing/recorded-prometheus.js';
import { ASSUMED_SCRAPE_INTERVAL_SECONDS, createPrometheusClient } from './client.js';
import { decodeVector } from './decode.js';

const FIXTURE = new URL('../testing/fixtures/demo-mesh.json', import.meta.url);
const client = (url: string, extra: Partial<Parameters<typeof createPrometheusClient>[0]> = {}) =>
  createPrometheusClient({ url, timeoutMs: 2000, auth: { kind: 'none' }, ...extra });

/** A store that answers every request with one status and body, to see how the API takes it. */
async function answering(status: number, body: string) {
  const server = http.createServer((_req, res) => {
    res.statusCode = status;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('scrape interval', () => {
  it("is read from Prometheus' configuration, once a minute at most", async () => {
    const prom = await recordedPrometheus(FIXTURE);
    const c = client(prom.url);
    expect(await c.scrapeInterval()).toEqual({ seconds: 1, source: 'prometheus' });
    await c.scrapeInterval();
    expect(prom.queries.filter((q) => q === '/api/v1/status/config')).toHaveLength(1);
    await prom.close();
  });

  it('is taken from API_SCRAPE_INTERVAL without asking the store', async () => {
    const prom = await recordedPrometheus(FIXTURE);
    expect(await client(prom.url, { scrapeIntervalSeconds: 15 }).scrapeInterval()).toEqual({
      seconds: 15,
      source: 'configured',
    });
    expect(prom.queries).toEqual([]);
    await prom.close();
  });

  describe('a store without /api/v1/status/config (Thanos, Mimir, VictoriaMetrics)', () => {
    const { prom, app } = recordedApi('demo-mesh.json', { missing: ['/api/v1/status/config'] });

    it("assumes Prometheus' default and refuses no window for being short", async () => {
      const c = client(prom().url);
      expect(await c.scrapeInterval()).toEqual({ seconds: ASSUMED_SCRAPE_INTERVAL_SECONDS, source: 'assumed' });
      await expect(checkWindow(c, '30s')).resolves.toMatchObject({ source: 'assumed' });
      // Known intervals still bound the window.
      await expect(checkWindow(client(prom().url, { scrapeIntervalSeconds: 15 }), '30s')).rejects.toThrow(/at least 60s/);
    });

    it('keeps answering, and the check says to set API_SCRAPE_INTERVAL', async () => {
      const stats = await app().inject({ url: '/api/v1/stats?kind=deployment&namespace=all&window=1m&at=1795335535' });
      expect(stats.statusCode).toBe(200);
      const check = CheckResponse.parse((await app().inject({ url: '/api/v1/check' })).json());
      expect(check.prometheus).toMatchObject({ reachable: true, scrapeIntervalSeconds: 60, scrapeIntervalSource: 'assumed' });
      const item = check.checks.find((c) => c.id === 'scrape-interval');
      expect(item).toMatchObject({ status: 'warn' });
      expect(item?.hint).toMatch(/API_SCRAPE_INTERVAL/);
    });
  });
});

describe('requests and errors', () => {
  it('asks for uncompressed answers and sends the configured credentials', async () => {
    const prom = await recordedPrometheus(FIXTURE);
    await client(prom.url, { auth: { kind: 'bearer', token: 's3cret' } }).version();
    await client(prom.url, { auth: { kind: 'basic', username: 'mesh', password: 'viz' } }).version();
    expect(prom.headers[0]).toMatchObject({ 'accept-encoding': 'identity', authorization: 'Bearer s3cret' });
    expect(prom.headers[1]?.authorization).toBe(`Basic ${Buffer.from('mesh:viz').toString('base64')}`);
    await prom.close();
  });

  it.each([
    [503, '{"status":"error","errorType":"timeout","error":"query timed out"}', 503, 'API_PROMETHEUS_UNAVAILABLE'],
    [422, '{"status":"error","errorType":"execution","error":"many-to-many matching"}', 502, 'API_PROMETHEUS_ERROR'],
    [200, '{"status":"success","data":{"resultType":"matrix","result":[]}}', 502, 'API_PROMETHEUS_ERROR'],
    [200, '<html>a login page</html>', 502, 'API_PROMETHEUS_ERROR'],
    [200, '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"many"]}]}}', 502, 'API_PROMETHEUS_ERROR'],
  ])('a store answering %i %s is a %i %s, without PromQL in the answer', async (status, body, expected, code) => {
    const store = await answering(status, body);
    const app = buildApp({
      config: { prometheusUrl: store.url, prometheusTimeoutMs: 2000, logLevel: 'silent', scrapeIntervalSeconds: 5 },
    });
    const res = await app.inject({ url: '/api/v1/stats' });
    await store.close();
    expect(res.statusCode).toBe(expected);
    expect(ApiError.parse(res.json()).error.code).toBe(code);
    expect(res.body).not.toMatch(/response_total|rate\(/);
  });

  it('a store that does not answer in time is unavailable', async () => {
    const server = http.createServer(() => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { timeoutMs: 100 });
    const err = await c.instant('up').catch((e: unknown) => e);
    server.closeAllConnections();
    server.close();
    expect(err).toBeInstanceOf(ApiHttpError);
    expect((err as ApiHttpError).status).toBe(503);
    expect(String((err as ApiHttpError).cause)).toMatch(/timed out after 100 ms/);
  });
});

describe('decodeVector', () => {
  it("reads Prometheus' special values", () => {
    const answer = (v: string) => ({ status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [1, v] }] } });
    expect(decodeVector(answer('+Inf'))[0]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(decodeVector(answer('-Inf'))[0]?.value).toBe(Number.NEGATIVE_INFINITY);
    expect(decodeVector(answer('NaN'))[0]?.value).toBeNaN();
    expect(decodeVector(answer('0.25'))[0]).toEqual({ labels: { a: 'b' }, value: 0.25 });
  });
  it('refuses labels that are not strings', () => {
    const bad = { status: 'success', data: { resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] } };
    expect(() => decodeVector(bad)).toThrow(/label a/);
  });
});
