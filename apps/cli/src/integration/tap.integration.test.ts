import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, REDACTED_VALUE, TapEvent } from '@meshviz/mesh-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echoClient, GRPC_STATUS, observeProxyTap, startEchoApp } from './grpc-fixtures.js';
import {
  eventually,
  type MeshFiles,
  meshFiles,
  openTap,
  type Received,
  type RunningProcess,
  type RunningProxy,
  type Sent,
  type SseCapture,
  send,
  sleep,
  startApi,
  startApp,
  startProxy,
  tapSubscriptions,
} from './tap-stack.js';

/**
 * Tap end to end, with real processes: four meshviz-proxy processes (shop/catalog-0 and catalog-1 in front of HTTP
 * apps, shop/echo-0 in front of a gRPC app, shop/web-0 whose outbound side the test calls through) and the real
 * meshviz-api, tapped over its HTTP Server-Sent Events endpoint with the bearer token, as `meshviz tap` does.
 * The test sends every request itself, so it knows what each tap event must say.
 */

const NS = 'shop';
const CATALOG = 'catalog.shop.svc.cluster.local';
const ECHO = 'echo.shop.svc.cluster.local';
const GONE = 'gone.shop.svc.cluster.local';
/** Nothing listens on port 1 and tests cannot bind it: every connect there is refused. */
const NOWHERE = '127.0.0.1:1';
const CLIENT_TOKEN = randomBytes(24).toString('base64url');
const PROXY_TOKEN = randomBytes(24).toString('base64url');

/** Secrets sent in headers: none may appear anywhere in what tap streams. */
const REQUEST_SECRETS = {
  authorization: 'Bearer request-secret-1',
  'proxy-authorization': 'Basic request-secret-2',
  cookie: 'session=request-secret-3',
  'x-api-key': 'request-secret-4',
};
const RESPONSE_SECRETS = { 'set-cookie': 'session=response-secret-5', 'x-api-key': 'response-secret-6' };
const ANY_SECRET = /(request|response)-secret-\d/;

/**
 * The catalog app. Query parameters set the status, how long to wait before the response headers (`head`) and
 * between the first and last body bytes (`tail`). It reports how long it really waited (timers may fire a little
 * early in a busy process), so each request's latencies have known lower bounds.
 */
const catalogApp = (pod: string) => (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://app');
  const status = Number(url.searchParams.get('status') ?? 200);
  const head = Number(url.searchParams.get('head') ?? 0);
  const tail = Number(url.searchParams.get('tail') ?? 0);
  req.resume();
  req.on('end', () => {
    const received = performance.now();
    setTimeout(() => {
      const body = Buffer.from(`${pod} answers ${url.pathname}`);
      const headAt = performance.now();
      res.writeHead(status, {
        'content-length': body.length,
        'x-served-by': pod,
        'x-visible-response': 'yes',
        'x-head-waited-ms': String(headAt - received),
        ...RESPONSE_SECRETS,
      });
      res.write(body.subarray(0, 4));
      setTimeout(() => {
        waited.set(`${pod} ${url.pathname}`, performance.now() - received);
        res.end(body.subarray(4));
      }, tail);
    }, head);
  });
};
/** How long the app took from the end of each request to the end of its response, by "pod path". */
const waited = new Map<string, number>();

const tapUrl = (api: string, query: Record<string, string>) => `${api}/api/v1/tap?${new URLSearchParams({ namespace: NS, ...query })}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tapEvents = (capture: SseCapture): Array<Received & { tap: TapEvent }> =>
  capture.events.filter((e) => e.event === 'tap').map((e) => ({ ...e, tap: TapEvent.parse(e.data) }));
const part = (e: TapEvent) => (e.requestInit ? 'requestInit' : e.responseInit ? 'responseInit' : e.responseEnd ? 'responseEnd' : '?');
const header = (headers: readonly { name: string; value: string }[] | undefined, name: string) =>
  headers?.filter((h) => h.name === name).map((h) => h.value);

describe('tap through the API, with real proxies and traffic (integration)', () => {
  let files: MeshFiles | undefined;
  const apps: Array<{ close(): unknown }> = [];
  const proxies: RunningProxy[] = [];
  let api: RunningProcess & { url: string };
  let web: RunningProxy;
  let catalog: RunningProxy[];
  const taps: SseCapture[] = [];

  const open = async (query: Record<string, string>, headers: Record<string, string> = bearer(CLIENT_TOKEN)) => {
    const capture = await openTap(tapUrl(api.url, query), headers);
    taps.push(capture);
    return capture;
  };
  /**
   * Resolves once each of `tapped` serves `n` subscriptions: only then does every request reach the stream. A wait
   * for readiness, so it allows for a machine busy with other test files (the disconnect test states its own bound).
   */
  const subscribed = (tapped: readonly RunningProxy[], n: number) =>
    eventually(async () => expect(await Promise.all(tapped.map(tapSubscriptions))).toEqual(tapped.map(() => n)), 15_000);
  const viaWeb = (authority: string, path: string, o: { method?: string; body?: string; tag?: string } = {}) =>
    send(web.addresses.outbound, {
      method: o.method ?? 'GET',
      path,
      headers: { host: authority, 'x-visible': 'yes', ...(o.tag ? { 'x-test-tag': o.tag } : {}), ...REQUEST_SECRETS },
      ...(o.body !== undefined ? { body: o.body } : {}),
    });

  beforeAll(async () => {
    files = await meshFiles();
    const catalogApps = await Promise.all(['catalog-0', 'catalog-1'].map((pod) => startApp(catalogApp(pod))));
    const echo = await startEchoApp();
    apps.push(...catalogApps, echo);
    const common = { namespace: NS, destinationsFile: files.destinations, tapToken: PROXY_TOKEN, redactHeaders: 'X-Api-Key' };
    catalog = await Promise.all(
      catalogApps.map((app, i) => startProxy({ ...common, deployment: 'catalog', pod: `catalog-${i}`, app: app.addr })),
    );
    const echoProxy = await startProxy({ ...common, deployment: 'echo', pod: 'echo-0', app: echo.addr });
    web = await startProxy({ ...common, deployment: 'web', pod: 'web-0', app: NOWHERE });
    proxies.push(...catalog, echoProxy, web);
    const endpoint = (p: RunningProxy) => ({ addr: p.addresses.inbound, namespace: NS, deployment: p.deployment, pod: p.pod });
    await files.writeDestinations({
      services: {
        [CATALOG]: { namespace: NS, service: 'catalog', endpoints: catalog.map(endpoint) },
        [ECHO]: { namespace: NS, service: 'echo', endpoints: [endpoint(echoProxy)] },
        [GONE]: { namespace: NS, service: 'gone', endpoints: [{ addr: NOWHERE, namespace: NS, deployment: 'gone', pod: 'gone-0' }] },
      },
    });
    await files.writeTargets(proxies);
    api = await startApi({ targetsFile: files.targets, clientToken: CLIENT_TOKEN, proxyToken: PROXY_TOKEN });
    // The proxies read the destinations file written after they started: wait until web-0 routes to catalog.
    await eventually(async () => expect((await viaWeb(CATALOG, '/ready')).status).toBe(200), 10_000);
  }, 60_000);

  afterEach(async () => {
    for (const tap of taps.splice(0)) tap.abort();
    await subscribed(proxies, 0);
  });

  afterAll(async () => {
    for (const tap of taps) tap.abort();
    await Promise.all([api?.stop(), ...proxies.map((p) => p.stop())]);
    await Promise.all(apps.map((a) => a.close()));
    await files?.remove();
  });

  it('shows every request within the cap exactly once: three parts in order, its status, latencies and redactions', async () => {
    const tap = await open({ direction: 'inbound', max_rps: '100' });
    expect(tap.status).toBe(200);
    await subscribed(proxies, 1);

    // 40 HTTP requests at 20 per second (each of the 4 proxies' share of max_rps is 25) and 6 gRPC calls.
    const http: Array<{ tag: string; method: string; sent: Promise<Sent> }> = [];
    for (let i = 0; i < 40; i++) {
      const status = i % 5 === 4 ? 500 : i % 8 === 7 ? 201 : 200;
      const method = status === 201 ? 'POST' : 'GET';
      const head = (i % 3) * 10;
      const tail = i % 4 === 0 ? 30 : 0;
      const tag = `http-${i}`;
      const path = `/items/${i}?status=${status}&head=${head}&tail=${tail}`;
      http.push({ tag, method, sent: viaWeb(CATALOG, path, { method, tag, ...(method === 'POST' ? { body: 'new item' } : {}) }) });
      await sleep(50);
    }
    const echo = echoClient(web.addresses.outbound, ECHO);
    const grpcCalls = ['hello-0', 'hello-1', 'missing', 'hello-2', 'missing', 'hello-3'].map((payload, i) => ({
      tag: `grpc-${i}`,
      payload,
      code: echo.call(payload, `grpc-${i}`),
    }));
    const replies = await Promise.all(http.map((r) => r.sent));
    const codes = await Promise.all(grpcCalls.map((c) => c.code));
    echo.close();
    expect(codes).toEqual([0, 0, GRPC_STATUS.NOT_FOUND, 0, GRPC_STATUS.NOT_FOUND, 0]);
    expect(replies.filter((r) => r.status === 500)).toHaveLength(8);

    const tags = [...http.map((r) => r.tag), ...grpcCalls.map((c) => c.tag)];
    const byTag = () => {
      const ids = new Map<string, string[]>();
      for (const { tap: e } of tapEvents(tap)) {
        const tag = header(e.requestInit?.headers, 'x-test-tag')?.[0];
        if (tag) ids.set(tag, [...(ids.get(tag) ?? []), e.id]);
      }
      return ids;
    };
    const ended = (id: string) => tapEvents(tap).some((e) => e.tap.id === id && e.tap.responseEnd);
    await eventually(() => {
      const ids = byTag();
      expect(tags.filter((t) => !ids.has(t) || !ended(ids.get(t)![0]!))).toEqual([]);
    }, 10_000);
    // Anything sent twice would have arrived by now.
    await sleep(500);

    const ids = byTag();
    const events = tapEvents(tap);
    // Exactly once: one id per request, three events per id, nothing else (the only inbound traffic is ours).
    expect([...ids.entries()].filter(([, list]) => list.length !== 1)).toEqual([]);
    expect(ids.size).toBe(tags.length);
    expect(events).toHaveLength(tags.length * 3);
    expect(tap.events.filter((e) => e.event === 'drops')).toEqual([]);

    const partsOf = (tag: string) => {
      const id = ids.get(tag)![0]!;
      const parts = events.filter((e) => e.tap.id === id);
      expect(parts.map((p) => part(p.tap))).toEqual(['requestInit', 'responseInit', 'responseEnd']);
      return parts.map((p) => p.tap) as [TapEvent, TapEvent, TapEvent];
    };

    for (const [i, r] of http.entries()) {
      const reply = replies[i]!;
      const [init, response, end] = partsOf(r.tag);
      const pod = String(reply.headers['x-served-by']);
      expect(init).toMatchObject({
        direction: 'inbound',
        proxy: { namespace: NS, deployment: 'catalog', pod },
        destination: { namespace: NS, deployment: 'catalog', pod },
        requestInit: { method: r.method, authority: CATALOG, path: expect.stringMatching(new RegExp(`^/items/${i}\\?`)) },
      });
      expect(init.id).toMatch(new RegExp(`^${NS}/${pod}/\\d+$`));
      expect(response.responseInit?.status).toBe(reply.status);
      expect(end.responseEnd).toMatchObject({ grpcStatus: null, reset: '', responseBytes: reply.body.length });
      // Latencies: the proxy saw the request before the app and the response parts after it, so the app's own
      // waits are lower bounds; the client's whole exchange, which began before the proxy saw the request and
      // ended after the proxy passed the last byte on, is an upper bound — give or take the proxy's own event-loop
      // lag: it stamps the end when its write completes, which a busy 2-core machine can delay past the client's read.
      const sinceInit = response.responseInit!.sinceRequestInitMs;
      const sinceEnd = end.responseEnd!.sinceRequestInitMs;
      expect(sinceInit).toBeGreaterThanOrEqual(Number(reply.headers['x-head-waited-ms']));
      expect(sinceEnd).toBeGreaterThanOrEqual(sinceInit);
      expect(sinceEnd).toBeGreaterThanOrEqual(waited.get(`${pod} /items/${i}`) ?? Number.POSITIVE_INFINITY);
      expect(end.responseEnd!.sinceResponseInitMs).toBeCloseTo(sinceEnd - sinceInit, 3);
      expect(sinceEnd).toBeLessThanOrEqual(reply.doneAt - reply.startedAt + 25);
      // Wall-clock time when the proxy received it, from another process's clock: to the nearest 50 ms.
      expect(init.requestInit!.timestampMs).toBeGreaterThanOrEqual(reply.startedWall - 50);
      expect(init.requestInit!.timestampMs).toBeLessThanOrEqual(reply.doneWall + 50);
      // Redaction: the four always-redacted headers and the configured one; everything else as sent.
      const sent = init.requestInit!.headers;
      for (const name of ['authorization', 'proxy-authorization', 'cookie', 'x-api-key']) expect(header(sent, name)).toEqual([REDACTED_VALUE]);
      expect(header(sent, 'x-visible')).toEqual(['yes']);
      expect(header(sent, 'x-test-tag')).toEqual([r.tag]);
      const answered = response.responseInit!.headers;
      for (const name of ['set-cookie', 'x-api-key']) expect(header(answered, name)).toEqual([REDACTED_VALUE]);
      expect(header(answered, 'x-visible-response')).toEqual(['yes']);
      expect(header(answered, 'x-served-by')).toEqual([pod]);
    }
    // Both replicas served and were tapped.
    expect(new Set(replies.map((r) => r.headers['x-served-by']))).toEqual(new Set(['catalog-0', 'catalog-1']));

    for (const [i, c] of grpcCalls.entries()) {
      const [init, response, end] = partsOf(c.tag);
      expect(init).toMatchObject({ proxy: { pod: 'echo-0' }, requestInit: { method: 'POST', path: '/test.Echo/Echo' } });
      expect(response.responseInit?.status).toBe(200);
      expect(end.responseEnd?.grpcStatus).toBe(codes[i]);
      expect(end.responseEnd!.sinceRequestInitMs).toBeGreaterThanOrEqual(response.responseInit!.sinceRequestInitMs);
      // OK answers carry the echo in its gRPC frame (5 bytes of framing); NOT_FOUND is trailers-only.
      expect(end.responseEnd?.responseBytes).toBe(c.payload === 'missing' ? 0 : 5 + c.payload.length);
    }

    expect(tap.raw()).not.toMatch(ANY_SECRET);
  }, 60_000);

  it('streams at most max_rps requests per second in total across two replicas, however much traffic there is', async () => {
    const ten = await open({ workload: 'catalog', max_rps: '10' });
    const one = await open({ workload: 'catalog', max_rps: '1' });
    await subscribed(catalog, 2);

    // About 100 requests per second for 6 s, sent on schedule whatever the answers (open loop), half to each
    // replica's proxy: what is measured is the tap's rate cap with both proxies busy, not how a balancer shares
    // the load (latency-aware balancing may send nearly everything to whichever replica answers a little faster).
    const started = performance.now();
    const pending: Promise<Sent>[] = [];
    while (performance.now() - started < 6_000) {
      const n = pending.length;
      pending.push(
        send(catalog[n % 2]!.addresses.inbound, { method: 'GET', path: `/load/${n}`, headers: { host: CATALOG, 'x-visible': 'yes', ...REQUEST_SECRETS } }),
      );
      await sleep(10);
    }
    const replies = await Promise.all(pending);
    const loadSeconds = (performance.now() - started) / 1000;
    expect(replies.every((r) => r.status === 200)).toBe(true);
    await sleep(1_000);

    const admitted = (capture: SseCapture) => {
      const events = tapEvents(capture).map((e) => e.tap);
      // Whole requests only.
      const perId = new Map<string, number>();
      for (const e of events) perId.set(e.id, (perId.get(e.id) ?? 0) + 1);
      expect([...perId.values()].every((n) => n === 3)).toBe(true);
      // When each proxy admitted the request, on its own clock: the moment its response began, which is when it
      // matched it and sent request_init (arrival wall time + time to response headers).
      const byId = new Map(events.filter((e) => e.responseInit).map((e) => [e.id, e.responseInit!.sinceRequestInitMs]));
      return events
        .filter((e) => e.requestInit)
        .map((e) => ({ pod: e.proxy.pod, at: e.requestInit!.timestampMs + (byId.get(e.id) ?? Number.NaN) }))
        .sort((a, b) => a.at - b.at);
    };
    /** The fewest milliseconds spanned by `n + 1` consecutive times: over 1000, no second holds more than `n`. */
    const tightest = (times: readonly number[], n: number) =>
      Math.min(...times.slice(n).map((t, i) => t - times[i]!));

    // max_rps=10 is split 5 + 5. Each proxy holds its share in every second of its own clock (1 ms for the
    // rounding between its timestamps and the limiter's reading), and so the two hold 10 together (10 ms more,
    // for the two processes' wall clocks).
    const tens = admitted(ten);
    for (const pod of ['catalog-0', 'catalog-1']) {
      const times = tens.filter((t) => t.pod === pod).map((t) => t.at);
      expect(times.length, pod).toBeGreaterThanOrEqual(Math.floor(5 * (loadSeconds - 1) * 0.8));
      expect(tightest(times, 5), pod).toBeGreaterThanOrEqual(999);
    }
    expect(tightest(tens.map((t) => t.at), 10)).toBeGreaterThanOrEqual(990);

    // max_rps=1 over two proxies: each proxy's floor is 1 per second, so only the tap service's own cap keeps the
    // total at 1. It admits at its own pace, later than the proxies' clocks say, so here count the whole run:
    // without that cap both proxies would give about 2 per second.
    const ones = admitted(one);
    expect(ones.length).toBeGreaterThanOrEqual(Math.floor((loadSeconds - 1) * 0.8));
    expect(ones.length).toBeLessThanOrEqual(Math.ceil(loadSeconds) + 1);
  }, 60_000);

  it('refuses tap without the permission, at the API and at the proxies’ tap port', async () => {
    const none = await open({}, {});
    expect(none.status).toBe(401);
    expect(ApiError.parse(JSON.parse(none.raw())).error).toMatchObject({
      code: 'API_TAP_UNAUTHORIZED',
      message: expect.stringMatching(/tap token.*Authorization: Bearer/),
    });
    const wrong = await open({}, bearer(`${CLIENT_TOKEN}x`));
    expect(wrong.status).toBe(403);
    expect(ApiError.parse(JSON.parse(wrong.raw())).error.message).toMatch(/not valid/);
    // The metrics permission is not the tap permission: the proxies' token does not open the API's tap.
    expect((await open({}, bearer(PROXY_TOKEN))).status).toBe(403);
    const foreign = await open({}, { ...bearer(CLIENT_TOKEN), origin: 'http://evil.example.com' });
    expect(foreign.status).toBe(403);
    expect(ApiError.parse(JSON.parse(foreign.raw())).error.message).toMatch(/does not serve pages of other sites/);
    expect((await open({}, { ...bearer(CLIENT_TOKEN), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await Promise.all(proxies.map(tapSubscriptions))).toEqual(proxies.map(() => 0));

    // Straight to a proxy: without its own token nothing is streamed, whatever else is presented.
    for (const [authorization, reason] of [
      [undefined, /missing authorization/],
      [`Bearer ${CLIENT_TOKEN}`, /invalid tap token/],
      [PROXY_TOKEN, /must be "Bearer <token>"/],
    ] as const) {
      const end = await observeProxyTap(web.addresses.tap, authorization).ended;
      expect(end.code).toBe(GRPC_STATUS.UNAUTHENTICATED);
      expect(end.details).toMatch(reason);
    }
    expect(await tapSubscriptions(web)).toBe(0);
    const allowed = observeProxyTap(web.addresses.tap, `Bearer ${PROXY_TOKEN}`);
    await subscribed([web], 1);
    allowed.cancel();
  }, 30_000);

  it('closes every upstream stream within 1 s of the client going away, while traffic flows', async () => {
    for (let round = 0; round < 3; round++) {
      const tap = await open({ max_rps: '50' });
      await subscribed(proxies, 1);
      let flowing = true;
      const traffic = (async () => {
        for (let i = 0; flowing; i++) {
          await Promise.all([viaWeb(CATALOG, `/busy/${i}`), sleep(20)]);
        }
      })();
      await eventually(() => expect(tapEvents(tap).length).toBeGreaterThan(10));

      tap.abort();
      const aborted = performance.now();
      // Seen from the proxies: every one of them reports no subscription any more.
      await eventually(async () => expect(await Promise.all(proxies.map(tapSubscriptions))).toEqual(proxies.map(() => 0)), 2_000, 5);
      const closedMs = performance.now() - aborted;
      flowing = false;
      await traffic;
      expect(closedMs, `round ${round}`).toBeLessThan(1_000);
    }
  }, 60_000);

  it('names the endpoint of an outbound request the proxy could not connect to', async () => {
    const tap = await open({ pod: 'web-0', direction: 'outbound', to_workload: 'gone' });
    await subscribed([web], 1);
    const reply = await viaWeb(GONE, '/nothing-here');
    expect(reply.status).toBe(502);
    await eventually(() => expect(tapEvents(tap).filter((e) => e.tap.responseEnd)).toHaveLength(1));
    const [init, response, end] = tapEvents(tap).map((e) => e.tap);
    expect(init).toMatchObject({
      direction: 'outbound',
      source: { namespace: NS, deployment: 'web', pod: 'web-0' },
      destination: { addr: NOWHERE, namespace: NS, deployment: 'gone', pod: 'gone-0' },
      requestInit: { authority: GONE, path: '/nothing-here' },
    });
    expect(response?.responseInit?.status).toBe(502);
    expect(end?.responseEnd).toMatchObject({ reset: 'connect_refused', responseBytes: 0 });
  }, 30_000);
});
