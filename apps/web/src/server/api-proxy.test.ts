import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closedPortUrl, type HttpFixture, startHttpFixture } from '../testing/http-fixture';
import { handleApiRequest, proxyToApi, upstreamUrl } from './api-proxy';

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
