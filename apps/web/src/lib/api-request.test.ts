import { StatsResponse } from '@meshviz/mesh-types';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPortUrl, type HttpFixture, startHttpFixture } from '@meshviz/api-client/testing';
import { ApiRequestError, getJson } from './api-request';

const ok = { window: '1m', rows: [] };

describe('getJson', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  function answer(status: number, body: string, type = 'application/json') {
    return startHttpFixture((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  }

  it('parses a good answer with the schema', async () => {
    api = await answer(200, JSON.stringify(ok));
    await expect(getJson(`${api.url}/api/v1/stats`, StatsResponse)).resolves.toEqual(ok);
  });

  it("turns the API's error body into an ApiRequestError with its code and message", async () => {
    api = await answer(503, JSON.stringify({ error: { code: 'API_PROMETHEUS_UNAVAILABLE', message: 'Prometheus is down' } }));
    const err = await getJson(`${api.url}/x`, StatsResponse).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 503, code: 'API_PROMETHEUS_UNAVAILABLE', message: 'Prometheus is down' });
  });

  it('reports an error answer that is not the API shape', async () => {
    api = await answer(500, '<html>oops</html>', 'text/html');
    await expect(getJson(`${api.url}/x`, StatsResponse)).rejects.toMatchObject({ code: 'WEB_UNEXPECTED_RESPONSE', status: 500 });
  });

  it('rejects a success body that does not match the contract', async () => {
    api = await answer(200, JSON.stringify({ rows: 'nope' }));
    await expect(getJson(`${api.url}/x`, StatsResponse)).rejects.toMatchObject({ code: 'WEB_INVALID_RESPONSE' });
  });

  it('reports an unreachable server', async () => {
    await expect(getJson(`${await closedPortUrl()}/x`, StatsResponse)).rejects.toMatchObject({ code: 'WEB_UNREACHABLE', status: 0 });
  });

  it('passes an abort through as an abort', async () => {
    api = await startHttpFixture(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const pending = getJson(`${api.url}/x`, StatsResponse, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('apiPath', () => {
  it('escapes segments and leaves undefined parameters out, keeping order', async () => {
    const { apiPath } = await import('./api-request');
    expect(apiPath(['v1', 'workloads', 'shop', 'web'], { window: '1m', at: undefined })).toBe('/api/v1/workloads/shop/web?window=1m');
    expect(apiPath(['v1', 'x y'])).toBe('/api/v1/x%20y');
    expect(apiPath(['v1', 'routes'], { namespace: 'a', route: '' })).toBe('/api/v1/routes?namespace=a&route=');
  });
});
