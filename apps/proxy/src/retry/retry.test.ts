import { METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, send, type Upstream } from '../testing/http-fixtures.js';
import { CATALOG, type Mesh, scrape, startMesh } from '../testing/mesh.js';
import { startAttemptsApp } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

/**
 * The app fails the first `x-fail` attempts of each `x-id` with 503, then answers 200 with the body it got, so a
 * test can tell what the caller saw from what went over the wire.
 */
function flakyApp(): Promise<Upstream> {
  return startAttemptsApp((attempt, body, req, res) => {
    res.statusCode = attempt <= Number(req.headers['x-fail'] ?? 0) ? 503 : 200;
    res.setHeader('x-attempt', String(attempt));
    res.end(body);
  });
}

const route = (name: string) => ({ direction: 'outbound', dst: CATALOG, rt_route: name });

describe('route metrics and retries, outbound → inbound', () => {
  let app: Upstream;
  let mesh: Mesh;
  let id = 0;
  const call = (method: string, path: string, fail: number, body?: Buffer) =>
    send(mesh.client.addresses.outbound, {
      method,
      path,
      headers: { host: CATALOG, 'x-id': String(++id), 'x-fail': String(fail) },
      ...(body ? { body } : {}),
    });

  beforeAll(async () => {
    app = await flakyApp();
    mesh = await startMesh({
      apps: [app.addr],
      routes: [
        { name: 'GET /flaky', method: 'GET', path: '/flaky', retries: { limit: 2 } },
        { name: 'PUT /flaky', method: 'PUT', path: '/flaky', retries: { limit: 2 } },
        { name: 'POST /flaky', method: 'POST', path: '/flaky', retries: { limit: 2 } },
        { name: 'GET /budget', method: 'GET', path: '/budget', retries: { limit: 5 } },
      ],
      inboundRoutes: [
        { name: 'flaky', pathPrefix: '/flaky' },
        { name: 'budget', path: '/budget' },
      ],
    });
  });
  afterAll(async () => {
    await mesh.close();
    await app.close();
  });

  it('retries a failing GET: the caller sees one 200, the wire three attempts', async () => {
    const reply = await call('GET', '/flaky?q=1', 2);
    expect(reply.status).toBe(200);
    expect(reply.headers['x-attempt']).toBe('3');
    await eventually(async () => {
      const s = await scrape(mesh.client);
      expect(total(s, METRIC.routeRequestTotal, route('GET /flaky'))).toBe(1);
      expect(total(s, METRIC.routeResponseTotal, { ...route('GET /flaky'), status_code: '200', classification: 'success' })).toBe(1);
      expect(total(s, `${METRIC.routeResponseLatencyMs}_count`, route('GET /flaky'))).toBe(1);
      expect(total(s, METRIC.routeActualRequestTotal, route('GET /flaky'))).toBe(3);
      expect(total(s, METRIC.routeActualResponseTotal, { ...route('GET /flaky'), status_code: '503', classification: 'failure' })).toBe(2);
      expect(total(s, METRIC.routeActualResponseTotal, { ...route('GET /flaky'), status_code: '200' })).toBe(1);
      // response_total counts what the client saw, too.
      expect(total(s, METRIC.responseTotal, { direction: 'outbound', status_code: '503' })).toBe(0);
      // The server side saw every attempt, under its own route table.
      const inbound = await scrape(mesh.replicas[0]!);
      expect(total(inbound, METRIC.routeRequestTotal, { direction: 'inbound', dst: CATALOG, rt_route: 'flaky' })).toBe(3);
      expect(total(inbound, METRIC.routeActualRequestTotal, { direction: 'inbound', rt_route: 'flaky' })).toBe(3);
    });
  });

  it('stops at the limit and returns the last failure', async () => {
    const reply = await call('GET', '/flaky', 5);
    expect(reply.status).toBe(503);
    expect(reply.headers['x-attempt']).toBe('3');
  });

  it('replays a small PUT body intact, but neither a large body nor a POST', async () => {
    const small = Buffer.alloc(1024, 's');
    const put = await call('PUT', '/flaky', 1, small);
    expect(put.status).toBe(200);
    expect(put.headers['x-attempt']).toBe('2');
    expect(put.body.equals(small)).toBe(true);

    const large = await call('PUT', '/flaky', 1, Buffer.alloc(100 * 1024, 'l'));
    expect(large.status).toBe(503);
    expect(large.headers['x-attempt']).toBe('1');

    const post = await call('POST', '/flaky', 1, Buffer.from('x'));
    expect(post.status).toBe(503);
    expect(post.headers['x-attempt']).toBe('1');
  });

  it('keeps retries within the budget: 20 % of requests plus 10 per second of the 10 s window', async () => {
    // One after another, each always failing, limit 5: the first 20 requests take 5 retries each (the floor of
    // 10/s × 10 s = 100), then a retry is granted each time the budget's 20 % share reaches the next whole retry.
    // Within one 10 s window 30 requests therefore get exactly 30 × 0.2 + 100 = 106 retries.
    const started = performance.now();
    for (let i = 0; i < 30; i++) expect((await call('GET', '/budget', 100)).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(8_000);
    await eventually(async () => {
      const s = await scrape(mesh.client);
      expect(total(s, METRIC.routeRequestTotal, route('GET /budget'))).toBe(30);
      const retries = total(s, METRIC.routeActualRequestTotal, route('GET /budget')) - 30;
      expect(retries).toBe(30 * 0.2 + 100);
    });
  });

  it('counts unmatched requests under rt_route=""', async () => {
    expect((await call('GET', '/elsewhere', 0)).status).toBe(200);
    await eventually(async () => {
      expect(total(await scrape(mesh.client), METRIC.routeRequestTotal, route(''))).toBe(1);
      expect(total(await scrape(mesh.replicas[0]!), METRIC.routeRequestTotal, { direction: 'inbound', rt_route: '' })).toBe(1);
    });
  });
});

describe('retries of connection failures', () => {
  it('retries connect_refused up to the limit and then answers 502', async () => {
    // Port 1: below the ephemeral range and privileged, so no test (here or in a parallel worker) can be given it
    // by the OS, unlike a just-closed port 0 listener's, and every connect there is refused.
    const mesh = await startMesh({ apps: [], deadEndpoints: ['127.0.0.1:1'], routes: [{ name: 'all', retries: { limit: 3 } }] });
    try {
      const reply = await send(mesh.client.addresses.outbound, { headers: { host: CATALOG } });
      expect(reply.status).toBe(502);
      expect(reply.headers[PROXY_ERROR_HEADER]).toBe('connect_refused');
      await eventually(async () => {
        const s = await scrape(mesh.client);
        expect(total(s, METRIC.routeResponseTotal, { ...route('all'), status_code: '502' })).toBe(1);
        expect(total(s, METRIC.routeActualResponseTotal, { ...route('all'), status_code: '502' })).toBe(4);
      });
    } finally {
      await mesh.close();
    }
  });
});
