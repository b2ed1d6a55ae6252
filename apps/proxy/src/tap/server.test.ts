import { PassThrough } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTarget, ProxyRequest, ProxyResponse } from '../core/stage.js';
import { TLS_DISABLED } from '../core/tls-status.js';
import { eventually } from '../testing/http-fixtures.js';
import { bearer, byRequest, observeTap, type TapStream } from '../testing/tap-client.js';
import { TapHub, type TapHubOptions } from './hub.js';
import { startTapServer, type TapServer } from './listener.js';
import { createTapMetrics, TAP_METRIC } from './metrics.js';

const TOKEN = 'test-token-0123456789';
const log = pino({ level: 'silent' });
const target: HttpTarget = { direction: 'inbound', authority: 'web.shop', logical: undefined, tls: TLS_DISABLED };

/** Runs one whole exchange through the hub the way the observe stage reports it. */
function exchange(hub: TapHub, headers: string[] = []): void {
  const request = { method: 'GET', path: '/x', headers, peer: '127.0.0.1:5000', receivedAt: performance.now() };
  const listener = hub.onRequest(target, request as unknown as ProxyRequest);
  const body = new PassThrough();
  const response = { status: 200, headers: [], body, destination: { key: 'app', targetAddr: '127.0.0.1:8080' } };
  listener?.onResponse?.(response as unknown as ProxyResponse, 200, 1, response.destination);
  listener?.onEnd?.({ status: 200, error: undefined, grpcStatus: undefined, sinceRequestMs: 2 });
}

describe('tap server', () => {
  let server: TapServer | undefined;
  const streams: TapStream[] = [];

  async function start(token: string | undefined, options: Partial<TapHubOptions> = {}, serverLog = log) {
    const registry = new Registry();
    const hub = new TapHub({
      identity: { namespace: 'shop', deployment: 'web', pod: 'web-0' },
      metrics: createTapMetrics(registry),
      ...options,
    });
    server = await startTapServer({ host: '127.0.0.1', port: 0 }, hub, { token, log: serverLog });
    return { hub, server, registry };
  }
  /** `authorization` null: no authorization metadata at all. */
  const open = (addr: string, request: Parameters<typeof observeTap>[1], authorization: string | null = bearer(TOKEN)) => {
    const stream = observeTap(addr, request, authorization ?? undefined);
    streams.push(stream);
    return stream;
  };

  afterEach(async () => {
    for (const s of streams.splice(0)) s.cancel();
    await server?.close();
    server = undefined;
  });

  it('loads the gRPC service only when the first connection arrives, and only once', async () => {
    const lines: string[] = [];
    const debugLog = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const { server, hub } = await start(TOKEN, { log: debugLog }, debugLog);
    const loaded = () => lines.filter((line) => line.includes('tap service loaded')).length;
    expect(loaded()).toBe(0);
    // Two callers at once: both wait for the one load, and both are served.
    const first = open(server.address, { maxRps: 10 });
    const second = open(server.address, { maxRps: 10 });
    await eventually(() => expect(hub.size).toBe(2));
    expect(loaded()).toBe(1);
    exchange(hub);
    await eventually(() => expect([first.events.length, second.events.length]).toEqual([3, 3]));
  });

  it('binds port 0 to a real port and reports it', async () => {
    const { server } = await start(TOKEN);
    expect(server.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  });

  it.each([
    ['a wrong token', bearer('not-the-token'), /invalid tap token/],
    ['a longer token with the right prefix', bearer(`${TOKEN}x`), /invalid tap token/],
    ['no authorization', null, /missing authorization/],
    ['a token without the Bearer scheme', TOKEN, /must be "Bearer <token>"/],
  ])('refuses %s with UNAUTHENTICATED', async (_name, authorization, message) => {
    const { server, hub } = await start(TOKEN);
    const end = await open(server.address, { maxRps: 10 }, authorization).ended;
    expect(end.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(end.details).toMatch(message);
    expect(hub.active).toBe(false);
  });

  it('refuses every call when the proxy has no token', async () => {
    const { server } = await start(undefined);
    const end = await open(server.address, { maxRps: 10 }, bearer('anything')).ended;
    expect(end).toEqual({ code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/tap is disabled.*PROXY_TAP_TOKEN/) });
  });

  it.each([
    [{ maxRps: 0 }, /max_rps must be an integer from 1 to 1000, got 0/],
    [{ maxRps: 1001 }, /max_rps .* got 1001/],
    [{ maxRps: 5, match: { direction: 'sideways' } }, /match\.direction/],
    [{ maxRps: 5, match: { pathPrefix: 'books' } }, /match\.path_prefix/],
    [{ maxRps: 5, match: { authority: 'bad host' } }, /match\.authority/],
  ])('answers INVALID_ARGUMENT naming the field for %j', async (request, message) => {
    const { server } = await start(TOKEN);
    const end = await open(server.address, request).ended;
    expect(end.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(end.details).toMatch(message);
  });

  it('removes a subscriber as soon as it cancels', async () => {
    const { server, hub, registry } = await start(TOKEN);
    const stream = open(server.address, { maxRps: 100 });
    await eventually(() => expect(hub.active).toBe(true));
    expect((await registry.getSingleMetric(TAP_METRIC.subscriptions)?.get())?.values[0]?.value).toBe(1);
    exchange(hub);
    await eventually(() => expect(stream.events).toHaveLength(3));
    stream.cancel();
    await eventually(() => expect(hub.active).toBe(false));
    expect(hub.size).toBe(0);
    expect((await registry.getSingleMetric(TAP_METRIC.subscriptions)?.get())?.values[0]?.value).toBe(0);
    const inspected = hub.inspected;
    exchange(hub);
    // Nobody taps: the hub hands out no listener and counts nothing.
    expect(hub.inspected).toBe(inspected);
  });

  it('bounds a slow reader: whole requests are dropped, counted, and reported once it catches up', async () => {
    const queueLimit = 30;
    const { server, hub, registry } = await start(TOKEN, { queueLimit });
    const stream = open(server.address, { maxRps: 1000 });
    await eventually(() => expect(hub.active).toBe(true));
    stream.call.pause();
    // Large events fill HTTP/2 flow control quickly, so grpc reports backpressure and the queue takes over.
    const big = ['x-pad', 'p'.repeat(8_000)];
    const requests = 300;
    for (let i = 0; i < requests; i++) exchange(hub, big);
    const dropped = (await registry.getSingleMetric(TAP_METRIC.eventsDropped)?.get())?.values[0]?.value ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped % 3).toBe(0);
    stream.call.resume();

    await eventually(() => {
      const drops = stream.events.filter((e) => e.event === 'drops').reduce((sum, e) => sum + (e.drops?.count ?? 0), 0);
      expect(drops).toBe(dropped);
    }, 10_000);
    const delivered = byRequest(stream.events);
    // Every request arrived whole or not at all, and nothing was lost without being counted.
    for (const events of delivered.values()) expect(events.map((e) => e.event)).toEqual(['requestInit', 'responseInit', 'responseEnd']);
    expect(delivered.size * 3 + dropped).toBe(requests * 3);
  });

  it('ends open streams with UNAVAILABLE on shutdown, without waiting for the subscriber', async () => {
    const { server, hub } = await start(TOKEN);
    const stream = open(server.address, { maxRps: 10 });
    await eventually(() => expect(hub.active).toBe(true));
    const started = performance.now();
    await server.close();
    const end = await stream.ended;
    expect(end).toEqual({ code: grpc.status.UNAVAILABLE, details: 'the proxy is shutting down' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(hub.active).toBe(false);
  });
});
