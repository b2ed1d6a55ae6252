import { OUTBOUND_METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import {
  type CountingApp,
  type OutboundClient,
  outboundRoute,
  routeOf,
  shopService,
  startAttemptsApp,
  startOutboundClient,
  table,
} from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

const retryPolicy = (httpStatuses: [number, number][]) => ({ limit: 1, httpStatuses, grpcCodes: [], perAttemptTimeoutMs: null });

/**
 * A replica that dies under a request: it reads the first attempt of each `x-id` whole, then drops the connection
 * without a byte of answer (what a kill -9 of the app does to the requests in flight on it); later attempts get 200
 * with the body echoed. POST, so the HTTP/1.1 pool's own re-send of an idempotent request on a stale connection
 * plays no part: only the route's retry can save the request.
 */
function dropsFirstAttempts(): Promise<CountingApp> {
  return startAttemptsApp((attempt, body, req, res) => {
    if (attempt === 1) {
      req.socket.destroy();
      return;
    }
    res.setHeader('x-attempt', String(attempt));
    res.end(body);
  });
}

describe('a connection lost before the response head', () => {
  let app: CountingApp;
  let client: OutboundClient;
  let id = 0;
  const post = (service: string, body: Buffer) => client.call(service, { method: 'POST', headers: { 'x-id': String(++id) }, body });

  beforeAll(async () => {
    app = await dropsFirstAttempts();
    client = await startOutboundClient(
      table({
        orders: shopService('orders', [app.addr], { routes: [outboundRoute('orders', { retry: retryPolicy([[500, 599]]) })] }),
        gateway: shopService('gateway', [app.addr], { routes: [outboundRoute('gateway', { retry: retryPolicy([[502, 504]]) })] }),
        limited: shopService('limited', [app.addr], { routes: [outboundRoute('limited', { retry: retryPolicy([[429, 429]]) })] }),
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('is retried by a route that retries 5xx, the body replayed intact, and counted as a retry', async () => {
    const reply = await post('orders', Buffer.from('order 1'));
    expect([reply.status, reply.headers['x-attempt'], reply.body.toString()]).toEqual([200, '2', 'order 1']);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, OUTBOUND_METRIC.retryRequests, routeOf('orders', 'orders'))).toBe(1);
      expect(total(m, OUTBOUND_METRIC.retrySuccesses, routeOf('orders', 'orders'))).toBe(1);
    });
  });

  it('is retried by a route that retries gateway errors', async () => {
    const reply = await post('gateway', Buffer.from('order 2'));
    expect([reply.status, reply.headers['x-attempt']]).toEqual([200, '2']);
  });

  it('is not retried by a route whose rule does not cover the 502 it becomes', async () => {
    const before = app.count();
    const reply = await post('limited', Buffer.from('order 3'));
    expect([reply.status, reply.headers[PROXY_ERROR_HEADER]]).toEqual([502, 'connection_reset']);
    expect(app.count() - before).toBe(1);
  });

  it('is not retried when the body was over 64 KiB: it was streamed, not held', async () => {
    const before = app.count();
    const reply = await post('orders', Buffer.alloc(64 * 1024 + 1, 7));
    expect([reply.status, reply.headers[PROXY_ERROR_HEADER]]).toEqual([502, 'connection_reset']);
    expect(app.count() - before).toBe(1);
  });
});
