import { once } from 'node:events';
import { closedPortUrl, type HttpFixture, startHttpFixture } from '@meshviz/api-client/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { foreignOriginReason, handleApiRequest, proxyToApi, upstreamUrl } from './api-proxy';

const WEB = 'http://dashboard.test';

describe('upstreamUrl', () => {
  it('keeps the path and query under the base URL', () => {
    const url = upstreamUrl(new URL(`${WEB}/api/v1/stats?kind=deployment&namespace=all`), new URL('http://127.0.0.1:8085'));
    expect(url.href).toBe('http://127.0.0.1:8085/api/v1/stats?kind=deployment&namespace=all');
    expect(upstreamUrl(new URL(`${WEB}/api/v1/x`), new URL('http://h/prefix/')).href).toBe('http://h/prefix/api/v1/x');
  });
});

describe('proxyToApi', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
    vi.restoreAllMocks();
  });

  it('forwards the path and query and passes back status, content type and body', async () => {
    const seen: string[] = [];
    api = await startHttpFixture((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'x-internal': 'hidden' });
      res.end(JSON.stringify({ error: { code: 'API_PROMETHEUS_UNAVAILABLE', message: 'down' } }));
    });
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stats?namespace=all&window=1m`), new URL(api.url));
    expect(seen).toEqual(['GET /api/v1/stats?namespace=all&window=1m']);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-internal')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ error: { code: 'API_PROMETHEUS_UNAVAILABLE', message: 'down' } });
  });

  it('answers HEAD without a body', async () => {
    api = await startHttpFixture((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : '{}');
    });
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stats`, { method: 'HEAD' }), new URL(api.url));
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
  });

  it('streams: the first chunk arrives before the API has finished', async () => {
    let finish = () => {};
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      finish = () => res.end('last\n');
    });
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stream`), new URL(api.url));
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first\n');
    finish();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('last\n');
  });

  it('ends the API request when the browser goes away', async () => {
    let upstreamClosed: Promise<unknown> = Promise.resolve();
    api = await startHttpFixture((req, res) => {
      upstreamClosed = once(req.socket, 'close');
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('tick\n');
    });
    const browser = new AbortController();
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stream`, { signal: browser.signal }), new URL(api.url));
    expect(res.status).toBe(200);
    browser.abort();
    await expect(upstreamClosed).resolves.toBeDefined();
  });

  it('answers 502 with an ApiError body, without the internal URL, when the API is unreachable', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const base = await closedPortUrl();
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stats`), new URL(base));
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('WEB_API_UNREACHABLE');
    expect(body.error.message).toMatch(/meshviz API is not reachable/);
    expect(body.error.message).not.toContain(new URL(base).host);
  });
});

describe('proxyToApi for the tap streams', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
    vi.restoreAllMocks();
  });

  it('forwards the authorization header to tap and top only', async () => {
    const seen: Record<string, string | undefined> = {};
    api = await startHttpFixture((req, res) => {
      seen[new URL(req.url ?? '', 'http://x').pathname] = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    for (const path of ['/api/v1/tap?namespace=shop', '/api/v1/top?namespace=shop', '/api/v1/stats']) {
      const res = await proxyToApi(new Request(`${WEB}${path}`, { headers: { authorization: 'Bearer t0ken' } }), new URL(api.url));
      await res.body?.cancel();
    }
    expect(seen).toEqual({ '/api/v1/tap': 'Bearer t0ken', '/api/v1/top': 'Bearer t0ken', '/api/v1/stats': undefined });
  });

  it('refuses pages of other sites with 403 and an ApiError body, without asking the API', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    let asked = 0;
    api = await startHttpFixture((_req, res) => {
      asked++;
      res.end('{}');
    });
    const refused: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { host: 'dashboard.test', origin: 'http://evil.test' },
      { host: 'dashboard.test', origin: 'http://dashboard.test:8080' },
      { host: 'dashboard.test', origin: 'null' },
    ];
    for (const headers of refused) {
      const res = await proxyToApi(new Request(`${WEB}/api/v1/tap?namespace=shop`, { headers: { ...headers, authorization: 'Bearer t' } }), new URL(api.url));
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: 'WEB_TAP_FORBIDDEN', message: 'tap is only served to pages of the meshviz dashboard itself' },
      });
    }
    expect(asked).toBe(0);
  });

  it('does not apply the origin check to the metrics endpoints', async () => {
    api = await startHttpFixture((_req, res) => res.end('{}'));
    const res = await proxyToApi(new Request(`${WEB}/api/v1/stats`, { headers: { 'sec-fetch-site': 'cross-site' } }), new URL(api.url));
    expect(res.status).toBe(200);
  });

  it('streams events one by one with headers that keep every hop from buffering', async () => {
    let send: (text: string) => void = () => {};
    api = await startHttpFixture((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write('event: start\ndata: {"proxies":[]}\n\n');
      send = (text) => res.write(text);
    });
    const res = await proxyToApi(
      new Request(`${WEB}/api/v1/tap?namespace=shop`, { headers: { host: 'dashboard.test', origin: WEB, 'sec-fetch-site': 'same-origin' } }),
      new URL(api.url),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('content-encoding')).toBeNull();
    const reader = res.body!.getReader();
    const decode = async () => new TextDecoder().decode((await reader.read()).value);
    expect(await decode()).toBe('event: start\ndata: {"proxies":[]}\n\n');
    send('event: tap\ndata: {"id":"1"}\n\n');
    expect(await decode()).toBe('event: tap\ndata: {"id":"1"}\n\n');
    await reader.cancel();
  });

  it('ends the upstream tap stream when the browser closes it', async () => {
    let upstreamClosed: Promise<unknown> = Promise.resolve();
    let upstreamOpen = true;
    api = await startHttpFixture((req, res) => {
      upstreamClosed = once(res, 'close').then(() => {
        upstreamOpen = false;
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: start\ndata: {"proxies":[]}\n\n');
      req.resume();
    });
    const browser = new AbortController();
    const res = await proxyToApi(new Request(`${WEB}/api/v1/top?namespace=shop`, { signal: browser.signal }), new URL(api.url));
    const reader = res.body!.getReader();
    await reader.read();
    expect(upstreamOpen).toBe(true);
    browser.abort();
    await upstreamClosed;
    expect(upstreamOpen).toBe(false);
  });
});

describe('foreignOriginReason', () => {
  const req = (headers: Record<string, string>) => new Request(`${WEB}/api/v1/tap`, { headers });
  it('accepts the dashboard’s own pages, navigations and clients that send no origin', () => {
    expect(foreignOriginReason(req({}))).toBeNull();
    expect(foreignOriginReason(req({ 'sec-fetch-site': 'same-origin', host: 'dashboard.test', origin: 'http://dashboard.test' }))).toBeNull();
    expect(foreignOriginReason(req({ 'sec-fetch-site': 'none' }))).toBeNull();
    expect(foreignOriginReason(req({ host: '127.0.0.1:8084', origin: 'http://127.0.0.1:8084' }))).toBeNull();
    expect(foreignOriginReason(req({ host: 'Dashboard.test:80', origin: 'http://dashboard.test' }))).toBeNull();
  });
  it('names what gave another origin away', () => {
    expect(foreignOriginReason(req({ 'sec-fetch-site': 'cross-site' }))).toMatch(/cross-site/);
    expect(foreignOriginReason(req({ host: '127.0.0.1:8084', origin: 'http://localhost:8084' }))).toMatch(/localhost:8084 is not this dashboard/);
    expect(foreignOriginReason(req({ host: 'dashboard.test', origin: 'not a url' }))).toMatch(/not a URL/);
  });
  it('compares with the Host the browser used, falling back to the request URL', () => {
    expect(foreignOriginReason(req({ origin: WEB }))).toBeNull();
    expect(foreignOriginReason(req({ origin: 'http://other.test' }))).toMatch(/other\.test/);
  });
});

describe('handleApiRequest', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('answers 500 naming MESHVIZ_API_URL when it is not set', async () => {
    vi.stubEnv('MESHVIZ_API_URL', '');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await handleApiRequest(new Request(`${WEB}/api/v1/stats`));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'WEB_CONFIG_INVALID', message: expect.stringContaining('MESHVIZ_API_URL') } });
  });
});
