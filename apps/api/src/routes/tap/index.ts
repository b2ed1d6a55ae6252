import { STREAMS, TapJoin } from '@meshviz/api-client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiHttpError } from '../../errors.js';
import { authorizeTap } from '../../plugins/tap-auth.js';
import { observeProxy } from '../../tap/proxy-client.js';
import type { TapResolver } from '../../tap/resolve.js';
import { type Observe, type SessionSink, TapSession } from '../../tap/session.js';
import { openSse, type SseStream } from '../../tap/sse.js';
import { TopTable } from '../../tap/top.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';

export interface TapOptions {
  resolver: TapResolver;
  /** What clients must present to tap (API_TAP_TOKEN); unset disables tap. */
  clientToken: string | undefined;
  /** What the API presents to proxies (API_PROXY_TAP_TOKEN). */
  proxyToken: string;
  /** Injected in tests; the real gRPC client otherwise. */
  observe?: Observe;
}

const { tap, top } = STREAMS;

async function startSession(request: FastifyRequest, o: TapOptions, sink: SessionSink) {
  authorizeTap(request, o.clientToken);
  // Tap and top read the same query.
  const q = parseQuery(tap.query, request.query);
  const targets = await o.resolver.resolve(q.namespace, q.workload, q.pod);
  if (targets.length === 0) {
    const what = q.pod ? `pod ${q.namespace}/${q.pod}` : q.workload ? `workload ${q.namespace}/${q.workload}` : `namespace ${q.namespace}`;
    throw new ApiHttpError(404, 'API_TAP_NO_TARGETS', `no meshed proxy to tap in ${what}`);
  }
  const observe: Observe =
    o.observe ?? ((t, req, onEvent, onEnd) => observeProxy(t.tapAddr, o.proxyToken, req, onEvent, onEnd));
  return { session: new TapSession(targets, q, observe, sink), targets };
}

/**
 * GET /api/v1/tap streams every tapped request's parts as Server-Sent Events (`tap`, `drops`, `upstream-error`);
 * GET /api/v1/top streams `top` snapshots of the same traffic, aggregated, every second. Both run until the client
 * goes away, which cancels every upstream stream at once.
 */
export function registerTapRoutes(app: FastifyInstance, o: TapOptions): void {
  // Streams never end on their own, and the server's close waits for every connection: on shutdown (SIGTERM) they
  // are ended first, so the API exits at once and clients see a clean end (the dashboard then reconnects).
  const open = new Set<{ close(): void }>();
  app.addHook('preClose', (done) => {
    for (const sse of open) sse.close();
    done();
  });
  const track = (sse: { close(): void; onClose(fn: () => void): void }) => {
    open.add(sse);
    sse.onClose(() => open.delete(sse));
  };

  app.get(routePattern(tap), async (request, reply) => {
    let sse: SseStream<typeof tap> | null = null;
    const { session, targets } = await startSession(request, o, {
      event: (e) => sse?.send('tap', e),
      drops: (pod, count) => sse?.send('drops', { pod, count }),
      upstreamError: (pod, message) => sse?.send('upstream-error', { pod, message }),
      hasRoom: () => sse?.hasRoom() ?? true,
    });
    sse = openSse<typeof tap>(reply);
    track(sse);
    sse.onDrain(() => session.flushDrops());
    sse.onClose(() => session.close());
    sse.send('start', { proxies: targets.map((t) => `${t.namespace}/${t.pod}`) });
    session.start();
  });

  app.get(routePattern(top), async (request, reply) => {
    const table = new TopTable();
    const join = new TapJoin();
    let sse: SseStream<typeof top> | null = null;
    const { session, targets } = await startSession(request, o, {
      event: (e) => {
        const done = join.add(e);
        if (done) table.add(done.end, done.init, done.status);
      },
      drops: (_pod, count) => table.addDrops(count),
      upstreamError: (pod, message) => sse?.send('upstream-error', { pod, message }),
    });
    sse = openSse<typeof top>(reply);
    track(sse);
    // A client that has not read the last snapshots gets the next one when it has: they only replace each other.
    const timer = setInterval(() => {
      if (sse?.hasRoom()) sse.send('top', table.snapshot());
    }, 1000);
    sse.onClose(() => {
      clearInterval(timer);
      session.close();
    });
    sse.send('start', { proxies: targets.map((t) => `${t.namespace}/${t.pod}`) });
    session.start();
  });
}
