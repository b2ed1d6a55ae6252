import * as grpc from '@grpc/grpc-js';
import { METRIC, OUTBOUND_METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRPC_CLIENT_SCRIPT, pythonWithGrpc, run } from '../testing/client-tools.js';
import { EchoClient } from '../testing/grpc-fixtures.js';
import { eventually } from '../testing/http-fixtures.js';
import {
  answer,
  authority,
  type CountingApp,
  type OutboundClient,
  outboundRoute,
  routeOf,
  shopService,
  startApp,
  startAttemptsApp,
  startOutboundClient,
  table,
} from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

const retryPolicy = (limit: number, httpStatuses: [number, number][], grpcCodes: number[] = []) => ({
  limit,
  httpStatuses,
  grpcCodes,
  perAttemptTimeoutMs: null,
});

/** Fails the first `x-fail` attempts of each `x-id` with `x-status` (503 by default), then answers 200 with the body. */
function flaky(): Promise<CountingApp> {
  return startAttemptsApp((attempt, body, req, res) => {
    res.statusCode = attempt <= Number(req.headers['x-fail'] ?? 0) ? Number(req.headers['x-status'] ?? 503) : 200;
    res.setHeader('x-attempt', String(attempt));
    res.end(body);
  });
}

describe('retries by an outbound route\'s policy', () => {
  let app: CountingApp;
  let client: OutboundClient;
  let id = 0;
  const call = (service: string, fail: number, options: { method?: string; body?: Buffer; status?: number } = {}) =>
    client.call(service, {
      method: options.method ?? 'GET',
      headers: { 'x-id': String(++id), 'x-fail': String(fail), 'x-status': String(options.status ?? 503) },
      ...(options.body ? { body: options.body } : {}),
    });

  beforeAll(async () => {
    app = await flaky();
    client = await startOutboundClient(
      table({
        orders: shopService('orders', [app.addr], { routes: [outboundRoute('orders', { retry: retryPolicy(2, [[500, 599]]) })] }),
        gateway: shopService('gateway', [app.addr], { routes: [outboundRoute('gateway', { retry: retryPolicy(3, [[502, 504]]) })] }),
        budget: shopService('budget', [app.addr], { routes: [outboundRoute('budget', { retry: retryPolicy(5, [[500, 599]]) })] }),
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('retries a listed status within the limit, any method, and counts retries and their success', async () => {
    const reply = await call('orders', 2, { method: 'POST', body: Buffer.from('order') });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-attempt']).toBe('3');
    expect(reply.body.toString()).toBe('order');
    await eventually(async () => {
      const m = await client.metrics();
      const route = routeOf('orders', 'orders');
      expect(total(m, OUTBOUND_METRIC.retryRequests, route)).toBe(2);
      expect(total(m, OUTBOUND_METRIC.retrySuccesses, route)).toBe(1);
      expect(total(m, OUTBOUND_METRIC.retryLimitExceeded, route)).toBe(0);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: '200', error: '' })).toBe(1);
      expect(total(m, OUTBOUND_METRIC.routeBackendRequests, { ...route, backend_namespace: 'shop', backend_name: 'orders' })).toBe(3);
      // The route_* families keep telling the caller's view from the wire's.
      const rt = { direction: 'outbound', dst: authority('orders'), rt_route: 'orders' };
      expect(total(m, METRIC.routeRequestTotal, rt)).toBe(1);
      expect(total(m, METRIC.routeActualRequestTotal, rt)).toBe(3);
    });
  });

  it('stops at the limit, answers the last failure, and counts the limit exceeded', async () => {
    const reply = await call('orders', 5);
    expect(reply.status).toBe(503);
    expect(reply.headers['x-attempt']).toBe('3');
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, OUTBOUND_METRIC.retryLimitExceeded, routeOf('orders', 'orders'))).toBe(1);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...routeOf('orders', 'orders'), http_status: '503', error: '' })).toBe(1);
    });
  });

  it('retries only the statuses the policy lists', async () => {
    expect((await call('gateway', 1, { status: 500 })).headers['x-attempt']).toBe('1');
    const reply = await call('gateway', 1, { status: 504 });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-attempt']).toBe('2');
  });

  it('replays a body of 64 KiB, never one larger', async () => {
    const limit = Buffer.alloc(64 * 1024, 'k');
    const replayed = await call('orders', 1, { method: 'PUT', body: limit });
    expect(replayed.headers['x-attempt']).toBe('2');
    expect(replayed.body.equals(limit)).toBe(true);
    const before = total(await client.metrics(), OUTBOUND_METRIC.retryRequests, routeOf('orders', 'orders'));
    const large = await call('orders', 1, { method: 'PUT', body: Buffer.alloc(64 * 1024 + 1, 'l') });
    expect(large.status).toBe(503);
    expect(large.headers['x-attempt']).toBe('1');
    expect(total(await client.metrics(), OUTBOUND_METRIC.retryRequests, routeOf('orders', 'orders'))).toBe(before);
  });

  it('keeps retries within the budget and counts what it refused as overflow', async () => {
    // Always failing, limit 5, one after another: the first 21 requests retry 5 times each (100 from the 10/s floor,
    // 5 more from the 20 % share), then a retry is granted each time the share reaches the next whole one: 30
    // requests get 30 × 0.2 + 100 = 106. Requests 22-30 each end wanting a retry the budget refused.
    for (let i = 0; i < 30; i++) expect((await call('budget', 100)).status).toBe(503);
    await eventually(async () => {
      const m = await client.metrics();
      const route = routeOf('budget', 'budget');
      expect(total(m, OUTBOUND_METRIC.retryRequests, route)).toBe(106);
      expect(total(m, OUTBOUND_METRIC.retryLimitExceeded, route)).toBe(21);
      expect(total(m, OUTBOUND_METRIC.retryOverflow, route)).toBe(9);
      expect(total(m, OUTBOUND_METRIC.retrySuccesses, route)).toBe(0);
      expect(total(m, OUTBOUND_METRIC.routeBackendRequests, route)).toBe(136);
    });
  });
});

/** Raw-bytes gRPC methods whose first attempt per message fails UNAVAILABLE. */
const RETRY_SERVICE = {
  unary: { path: '/test.Echo/Unary', requestStream: false, responseStream: false },
  headersFirst: { path: '/test.Echo/HeadersFirst', requestStream: false, responseStream: false },
  serverStream: { path: '/test.Echo/ServerStream', requestStream: false, responseStream: true },
};
const raw = { requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b };

async function startRetryingGrpc(): Promise<{ addr: string; attempts: Map<string, number>; close(): Promise<void> }> {
  const attempts = new Map<string, number>();
  const first = (key: string): boolean => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    return n === 1;
  };
  const unavailable = { code: grpc.status.UNAVAILABLE, details: 'warming up' };
  const server = new grpc.Server();
  const definition = Object.fromEntries(Object.entries(RETRY_SERVICE).map(([k, v]) => [k, { ...v, ...raw }])) as grpc.ServiceDefinition;
  server.addService(definition, {
    // The first attempt fails trailers-only (grpc-status in the response headers).
    unary: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const text = call.request.toString();
      if (text === 'fail') return callback({ code: grpc.status.INTERNAL, details: 'boom' });
      if (first(`unary:${text}`)) return callback(unavailable);
      callback(null, Buffer.from(`echo:${text}`));
    },
    // The first attempt sends its headers, then fails with grpc-status in the trailers and no message.
    headersFirst: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const text = call.request.toString();
      if (first(`headers:${text}`) || text === 'always') {
        call.sendMetadata(new grpc.Metadata());
        setTimeout(() => callback(unavailable), 20);
        return;
      }
      callback(null, Buffer.from(`echo:${text}`));
    },
    serverStream: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      const n = Number(call.request.toString());
      for (let i = 0; i < n; i++) call.write(Buffer.from(`item-${i}`));
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { addr: `127.0.0.1:${port}`, attempts, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

describe('gRPC retries by status code', () => {
  let server: Awaited<ReturnType<typeof startRetryingGrpc>>;
  let client: OutboundClient;
  let channel: InstanceType<typeof EchoClient>;
  const UNAVAILABLE = 14;

  beforeAll(async () => {
    server = await startRetryingGrpc();
    const echo = outboundRoute('echo', {
      kind: 'GRPCRoute',
      matches: [{ headers: [], grpc: { service: 'test.Echo' } }],
      retry: retryPolicy(2, [], [UNAVAILABLE]),
    });
    client = await startOutboundClient(table({ echo: shopService('echo', [server.addr], { routes: [echo] }) }));
    channel = new EchoClient(client.proxy.addresses.outbound, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority('echo') });
  });
  afterAll(async () => {
    channel.close();
    await client.close();
    await server.close();
  });

  const unary = (path: string, text: string) =>
    new Promise<{ error: grpc.ServiceError | null; reply?: Buffer }>((resolve) => {
      channel.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(text), (error, reply) => resolve({ error, reply }));
    });

  it('retries UNAVAILABLE from a trailers-only answer and from trailers after headers, not INTERNAL (@grpc/grpc-js)', async () => {
    const a = await unary('/test.Echo/Unary', 'node');
    expect(a.error).toBeNull();
    expect(a.reply?.toString()).toBe('echo:node');
    expect(server.attempts.get('unary:node')).toBe(2);

    const b = await unary('/test.Echo/HeadersFirst', 'node');
    expect(b.error).toBeNull();
    expect(b.reply?.toString()).toBe('echo:node');
    expect(server.attempts.get('headers:node')).toBe(2);

    const c = await unary('/test.Echo/Unary', 'fail');
    expect(c.error?.code).toBe(grpc.status.INTERNAL);

    // Failing in trailers every time: past the limit the caller gets the last answer, its trailers intact.
    const d = await unary('/test.Echo/HeadersFirst', 'always');
    expect(d.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(d.error?.details).toBe('warming up');
    expect(server.attempts.get('headers:always')).toBe(3);
    await eventually(async () => {
      const m = await client.metrics();
      const route = { ...routeOf('echo', 'echo'), route_kind: 'GRPCRoute' };
      expect(total(m, OUTBOUND_METRIC.retryRequests, route)).toBe(4);
      expect(total(m, OUTBOUND_METRIC.retrySuccesses, route)).toBe(2);
      expect(total(m, OUTBOUND_METRIC.retryLimitExceeded, route)).toBe(1);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: '200', error: '' })).toBe(4);
    });
  });

  it('retries UNAVAILABLE for Python grpcio too, and leaves streams alone', async (ctx) => {
    const python = pythonWithGrpc();
    if (!python) return ctx.skip('python3 with grpc (python3-grpcio) is not installed');
    const result = await run(python, [GRPC_CLIENT_SCRIPT, client.proxy.addresses.outbound, authority('echo')], '');
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, { reply?: string; code?: number; items?: string[] }>;
    expect(out.unary?.reply).toBe('echo:from-python');
    expect(server.attempts.get('unary:from-python')).toBe(2);
    expect(out.failed?.code).toBe(grpc.status.INTERNAL);
    expect(out.stream?.items).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
  });
});

/**
 * Two replicas: one answers 500 to everything at once, the other 200 after 200 ms. The failing one's fast answers
 * keep its round-trip estimate far below the other's, even doubled by the failed attempt still in flight, so a
 * retry balanced afresh would go straight back to it. A retry goes to an endpoint the request has not been to while
 * there is one.
 */
describe('a retry goes to another endpoint', () => {
  let good: CountingApp;
  let bad: CountingApp;
  let client: OutboundClient;

  beforeAll(async () => {
    good = await startApp(answer(200, 200));
    bad = await startApp(answer(500));
    client = await startOutboundClient(
      table({ catalog: shopService('catalog', [bad.addr, good.addr], { routes: [outboundRoute('catalog', { retry: retryPolicy(1, [[500, 599]]) })] }) }),
    );
  });
  afterAll(async () => {
    await client.close();
    await Promise.all([good.close(), bad.close()]);
  });

  it('so one retry is enough for every request that met the failing replica', async () => {
    for (let i = 0; i < 20; i++) expect((await client.call('catalog')).status).toBe(200);
    // Every request that went to the failing replica first was retried once, on the other.
    expect(good.count()).toBe(20);
    expect(bad.count()).toBeGreaterThan(0);
    const metrics = await client.metrics();
    expect(total(metrics, OUTBOUND_METRIC.retryRequests, routeOf('catalog', 'catalog'))).toBe(bad.count());
    expect(total(metrics, OUTBOUND_METRIC.retryLimitExceeded, routeOf('catalog', 'catalog'))).toBe(0);
  });
});
