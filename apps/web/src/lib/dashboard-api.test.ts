import { ENDPOINTS, STREAMS } from '@meshviz/api-client';
import { closedPortUrl, apiFailure as failure, type HttpFixture, startHttpFixture } from '@meshviz/api-client/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dashboardApi } from './dashboard-api';

/** The dashboard's client asks its own origin; these tests point that origin at a real server. */
function atOrigin(origin: string) {
  const fetchFromPage = globalThis.fetch;
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => fetchFromPage(new URL(url, origin), init));
}

const tap = (onEvent: () => void = () => {}) =>
  dashboardApi.stream(STREAMS.tap, { query: { namespace: 'bookshop' } }, 't', new AbortController().signal, onEvent);

describe('the dashboard’s words for what is not the API’s own answer', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    vi.unstubAllGlobals();
    await api?.close();
    api = undefined;
  });

  async function answer(status: number, body: string, type: string) {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
    atOrigin(api.url);
  }

  it('keeps the API’s own code and message', async () => {
    await answer(503, JSON.stringify({ error: { code: 'API_PROMETHEUS_UNAVAILABLE', message: 'Prometheus is down' } }), 'application/json');
    expect(await failure(dashboardApi.get(ENDPOINTS.stats, {}))).toMatchObject({
      status: 503,
      code: 'API_PROMETHEUS_UNAVAILABLE',
      message: 'Prometheus is down',
    });
  });

  it('reports an error answer that is not the API shape with its status', async () => {
    await answer(500, '<html>oops</html>', 'text/html');
    expect(await failure(dashboardApi.get(ENDPOINTS.stats, {}))).toMatchObject({
      status: 500,
      code: 'WEB_UNEXPECTED_RESPONSE',
      message: 'The API answered 500 Internal Server Error',
    });
  });

  it('rejects a success body that does not match the contract', async () => {
    await answer(200, JSON.stringify({ rows: 'nope' }), 'application/json');
    expect(await failure(dashboardApi.get(ENDPOINTS.stats, {}))).toMatchObject({
      code: 'WEB_INVALID_RESPONSE',
      message: 'The API answered with data this dashboard does not understand (are the API and web the same version?).',
    });
  });

  it('says the dashboard server is unreachable when nothing answers', async () => {
    atOrigin(await closedPortUrl());
    expect(await failure(dashboardApi.get(ENDPOINTS.check, {}))).toMatchObject({
      status: 0,
      code: 'WEB_UNREACHABLE',
      message: 'The dashboard server is not reachable.',
    });
    expect(await failure(tap())).toMatchObject({ status: 0, code: 'WEB_UNREACHABLE' });
  });

  it('refuses a stream answer that is not an event stream, naming what came', async () => {
    await answer(200, '<html></html>', 'text/html');
    expect(await failure(tap())).toMatchObject({
      code: 'WEB_UNEXPECTED_RESPONSE',
      message: 'The API answered text/html instead of an event stream.',
    });
  });

  it('names the event it does not understand', async () => {
    await answer(200, 'event: tap\ndata: {"id":"x","direction":"sideways"}\n\n', 'text/event-stream');
    const err = await failure(tap());
    expect(err.code).toBe('WEB_INVALID_RESPONSE');
    expect(err.message).toMatch(/^The API sent a "tap" event this dashboard does not understand \(.+\)\. Are the API and web the same version\?$/);
  });

  it('says when the stream breaks off', async () => {
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: start\ndata: {"proxies":[]}\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    atOrigin(api.url);
    expect(await failure(tap())).toMatchObject({
      code: 'WEB_STREAM_BROKEN',
      message: 'The stream broke off: the dashboard server or the API went away.',
    });
  });
});
