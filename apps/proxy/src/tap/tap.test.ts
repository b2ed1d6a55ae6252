import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { DestinationsFile } from '@meshviz/mesh-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { eventually, send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { bearer, byRequest, type DecodedTapEvent, type ObserveArgs, observeTap, type TapStream } from '../testing/tap-client.js';
import { startTestProxy } from '../testing/test-config.js';

const TOKEN = 'tap-test-token';
const CATALOG = 'catalog.shop.svc.cluster.local';
const EMPTY = 'empty.shop.svc.cluster.local';
const REFUSED = 'refused.shop.svc.cluster.local';
/** Nothing listens on port 1, and tests cannot bind it: every connect there is refused. */
const NOWHERE = '127.0.0.1:1';
const identity = { namespace: 'shop', deployment: 'web', pod: 'web-0' };

/** A proxy for shop/web/web-0 in front of one app, whose outbound side knows catalog (served by the same app). */
describe('tap through a running proxy', () => {
  let dir: string;
  let app: Upstream;
  let proxy: ProxyHandle;
  const streams: TapStream[] = [];
  let hold: (() => void) | undefined;

  const subscribe = async (request: ObserveArgs): Promise<TapStream> => {
    const before = proxy.tap.size;
    const stream = observeTap(proxy.addresses.tap, request, bearer(TOKEN));
    streams.push(stream);
    await eventually(() => expect(proxy.tap.size).toBe(before + 1));
    return stream;
  };
  const inbound = (path: string, options: Parameters<typeof send>[1] = {}) =>
    send(proxy.addresses.inbound, { path, ...options });
  const outbound = (path: string, host = CATALOG) => send(proxy.addresses.outbound, { path, headers: { host } });
  /** Requests whose three events all arrived, by id. */
  const complete = (stream: TapStream) =>
    [...byRequest(stream.events).values()].filter((events) => events.some((e) => e.event === 'responseEnd'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshviz-tap-'));
    app = await startUpstream((req, res) => {
      if (req.url === '/hang') {
        hold = () => res.end();
        return;
      }
      res.statusCode = req.url === '/fail' ? 500 : 200;
      res.setHeader('set-cookie', 'session=1');
      res.setHeader('x-secret', 'hidden');
      res.end('hello');
    });
    const destinations: DestinationsFile = {
      services: {
        [CATALOG]: {
          namespace: 'shop',
          service: 'catalog',
          endpoints: [{ addr: app.addr, namespace: 'shop', deployment: 'catalog', pod: 'catalog-0' }],
        },
        [EMPTY]: { namespace: 'shop', service: 'empty', endpoints: [] },
        [REFUSED]: {
          namespace: 'shop',
          service: 'refused',
          endpoints: [{ addr: NOWHERE, namespace: 'shop', deployment: 'refused', pod: 'refused-0' }],
        },
      },
    };
    const file = join(dir, 'destinations.json');
    await writeFile(file, JSON.stringify(destinations));
    proxy = await startTestProxy(app.addr, {
      destinationsFile: file,
      tapToken: TOKEN,
      tapRedactHeaders: ['X-Secret'],
      ...identity,
    });
  });

  // Each test starts with nobody subscribed, so subscribe() can tell when its own subscription is in place.
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.cancel();
    await eventually(() => expect(proxy.tap.size).toBe(0));
  });

  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the fast path while nobody taps', async () => {
    expect(proxy.addresses.tap).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    expect(proxy.tap.active).toBe(false);
    for (let i = 0; i < 5; i++) expect((await inbound('/idle')).status).toBe(200);
    expect(proxy.tap.inspected).toBe(0);
  });

  it('streams init, response and end for every request, inbound and outbound, with peers and redaction', async () => {
    const stream = await subscribe({ maxRps: 1000 });
    const headers = { authorization: 'Bearer app-secret', cookie: 'a=b', 'x-secret': 'x', 'x-visible': 'yes' };
    for (let i = 0; i < 3; i++) expect((await inbound(`/books/${i}`, { headers })).status).toBe(200);
    expect((await inbound('/fail')).status).toBe(500);
    for (let i = 0; i < 2; i++) expect((await outbound(`/books/${i}`)).status).toBe(200);
    await eventually(() => expect(complete(stream)).toHaveLength(6));

    const requests = [...byRequest(stream.events).values()];
    expect(requests).toHaveLength(6);
    for (const events of requests) {
      expect(events.map((e) => e.event)).toEqual(['requestInit', 'responseInit', 'responseEnd']);
      const [init, response, end] = events as [DecodedTapEvent, DecodedTapEvent, DecodedTapEvent];
      expect(new Set(events.map((e) => e.id)).size).toBe(1);
      expect(Math.abs((init.requestInit?.timestampMs ?? 0) - Date.now())).toBeLessThan(10_000);
      const sinceInit = response.responseInit?.sinceRequestInitMs ?? -1;
      expect(sinceInit).toBeGreaterThanOrEqual(0);
      expect(end.responseEnd?.sinceRequestInitMs).toBeGreaterThanOrEqual(sinceInit);
      expect(end.responseEnd?.sinceResponseInitMs).toBeGreaterThanOrEqual(0);
      expect(end.responseEnd).toMatchObject({ grpcStatus: -1, reset: '', responseBytes: 5 });
      const responseHeaders = Object.fromEntries(response.responseInit?.headers.map((h) => [h.name, h.value]) ?? []);
      expect(responseHeaders).toMatchObject({ 'set-cookie': '[redacted]', 'x-secret': '[redacted]' });
    }

    const inboundOk = requests.filter(([e]) => e?.direction === 'inbound' && e.requestInit?.path.startsWith('/books'));
    expect(inboundOk.map(([e]) => e?.requestInit?.path)).toEqual(['/books/0', '/books/1', '/books/2']);
    const [init, response] = inboundOk[0] as DecodedTapEvent[];
    expect(init).toMatchObject({
      source: { addr: expect.stringMatching(/^127\.0\.0\.1:\d+$/), namespace: '', deployment: '', pod: '' },
      destination: { addr: app.addr, ...identity },
      requestInit: { method: 'GET', scheme: 'http', authority: proxy.addresses.inbound },
    });
    expect(response?.responseInit?.status).toBe(200);
    const sent = Object.fromEntries(init?.requestInit?.headers.map((h) => [h.name, h.value]) ?? []);
    expect(sent).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]', 'x-secret': '[redacted]', 'x-visible': 'yes' });

    const failed = requests.find(([e]) => e?.requestInit?.path === '/fail');
    expect(failed?.[1]?.responseInit?.status).toBe(500);

    const out = requests.filter(([e]) => e?.direction === 'outbound');
    expect(out).toHaveLength(2);
    expect(out[0]?.[0]).toMatchObject({
      source: { addr: expect.stringMatching(/^127\.0\.0\.1:\d+$/), ...identity },
      destination: { addr: app.addr, namespace: 'shop', deployment: 'catalog', pod: 'catalog-0' },
      requestInit: { authority: CATALOG, path: '/books/0' },
    });
    stream.cancel();
    await eventually(() => expect(proxy.tap.active).toBe(false));
  });

  it('reports the proxy’s own answers with the error as reset', async () => {
    const stream = await subscribe({ maxRps: 100, match: { authority: EMPTY } });
    expect((await outbound('/x', EMPTY)).status).toBe(503);
    await eventually(() => expect(complete(stream)).toHaveLength(1));
    const [, response, end] = complete(stream)[0] as DecodedTapEvent[];
    expect(response?.responseInit).toMatchObject({ status: 503, headers: [{ name: 'x-meshviz-proxy-error', value: 'no_endpoints' }] });
    expect(end?.responseEnd).toMatchObject({ reset: 'no_endpoints', responseBytes: 0, grpcStatus: -1 });
    stream.cancel();
  });

  it('names the endpoint of a request the proxy failed to connect, for peers and filters alike', async () => {
    const stream = await subscribe({ maxRps: 100, match: { direction: 'outbound', dstDeployment: 'refused' } });
    const reply = await outbound('/x', REFUSED);
    expect(reply.status).toBe(502);
    await eventually(() => expect(complete(stream)).toHaveLength(1));
    const [init, response, end] = complete(stream)[0] as DecodedTapEvent[];
    expect(init).toMatchObject({
      source: identity,
      destination: { addr: NOWHERE, namespace: 'shop', deployment: 'refused', pod: 'refused-0' },
      requestInit: { authority: REFUSED, path: '/x' },
    });
    expect(response?.responseInit).toMatchObject({ status: 502, headers: [{ name: 'x-meshviz-proxy-error', value: 'connect_refused' }] });
    expect(end?.responseEnd).toMatchObject({ reset: 'connect_refused', responseBytes: 0 });
    stream.cancel();
  });

  it('gives each subscriber only what its filter matches', async () => {
    const posts = await subscribe({ maxRps: 100, match: { method: 'POST' } });
    const books = await subscribe({ maxRps: 100, match: { pathPrefix: '/books' } });
    const out = await subscribe({ maxRps: 100, match: { direction: 'outbound' } });
    const catalog = await subscribe({ maxRps: 100, match: { dstDeployment: 'catalog', dstPod: 'catalog-0' } });
    await inbound('/books/1');
    await inbound('/authors/1', { method: 'POST', body: 'x' });
    await outbound('/books/2');
    await outbound('/authors/2');
    await eventually(() => expect(complete(out)).toHaveLength(2));
    await eventually(() => expect(complete(books)).toHaveLength(2));
    const paths = (stream: TapStream) =>
      complete(stream).map(([e]) => `${e?.direction} ${e?.requestInit?.method} ${e?.requestInit?.path}`);
    expect(paths(posts)).toEqual(['inbound POST /authors/1']);
    expect(paths(books)).toEqual(['inbound GET /books/1', 'outbound GET /books/2']);
    expect(paths(out)).toEqual(['outbound GET /books/2', 'outbound GET /authors/2']);
    expect(paths(catalog)).toEqual(['outbound GET /books/2', 'outbound GET /authors/2']);
    for (const stream of [posts, books, out, catalog]) stream.cancel();
    await eventually(() => expect(proxy.tap.active).toBe(false));
  });

  it('holds max_rps: a burst of 50 requests at 10 rps yields one second’s worth per second', async () => {
    const stream = await subscribe({ maxRps: 10 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => inbound(`/burst/${i}`)));
    const elapsedS = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const tapped = complete(stream).length;
    expect(tapped).toBeGreaterThanOrEqual(10);
    // At most 10 in any one second, so at most 10 for each second (or part of one) the burst lasted.
    expect(tapped).toBeLessThanOrEqual(10 * Math.ceil(elapsedS));
    // Whole requests only: no id has a partial set of events.
    for (const events of byRequest(stream.events).values()) expect(events).toHaveLength(3);
    stream.cancel();
  });

  it('stops looking at exchanges once the last subscriber cancels', async () => {
    const stream = await subscribe({ maxRps: 100 });
    stream.cancel();
    await eventually(() => expect(proxy.tap.active).toBe(false));
    const inspected = proxy.tap.inspected;
    for (let i = 0; i < 5; i++) await inbound('/after');
    expect(proxy.tap.inspected).toBe(inspected);
    expect(stream.events.filter((e) => e.requestInit?.path === '/after')).toEqual([]);
  });

  it('ends tap streams at shutdown without waiting for the grace period', async () => {
    const stream = await subscribe({ maxRps: 100 });
    const pending = inbound('/hang').catch(() => undefined);
    await eventually(() => expect(hold).toBeDefined());
    const started = performance.now();
    const stopping = proxy.shutdown();
    const end = await stream.ended;
    expect(end.code).toBe(grpc.status.UNAVAILABLE);
    expect(performance.now() - started).toBeLessThan(1_000);
    hold?.();
    await Promise.all([stopping, pending]);
  });
});
