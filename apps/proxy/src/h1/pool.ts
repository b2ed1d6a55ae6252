import { TLSSocket } from 'node:tls';
import { formatHostPort } from '@meshviz/runtime';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import type { EndpointConnector } from '../endpoint/connect.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { IDEMPOTENT } from '../retry/retry.js';
import { type ConnHome, UpstreamConn } from './upstream.js';

/**
 * Idle pooled connections are closed after about 4 s. That stays below Node's default server keep-alive timeout
 * (5 s), so the proxy retires an idle connection before the upstream does; otherwise a request could be written
 * onto a socket the upstream is closing and fail with a reset.
 */
const SWEEP_EVERY_MS = 500;
/** 3.5 to 4 s: a sweep every 500 ms counts each idle connection's sweeps (no clock reading per exchange). */
const IDLE_SWEEPS = 7;

/**
 * Connections to one endpoint still being opened (TCP connect, and the handshake for mTLS) at most. Past it a
 * request waits for the first connection that is released or finishes opening. Without it a burst (an open-loop
 * client queueing behind a busy hop) opened one connection per waiting request: ~300 mTLS handshakes within a
 * second on both proxies, whose CPU deepened the queue, and ~60 KB of TLS state per connection afterwards.
 */
export const MAX_OPENING_PER_ENDPOINT = 4;

/** A request waiting for a connection to its endpoint. */
interface Waiter {
  readonly target: EndpointTarget;
  readonly use: (conn: UpstreamConn) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * HTTP/1.1 connections to endpoints, kept per endpoint address and reused last-in first-out (the most recently
 * used connection is the least likely to have been closed by the upstream). Connections are opened by the
 * connector, so mTLS and the tcp_* families apply as to every other upstream connection. An endpoint that leaves
 * discovery leaves nothing behind: its connections close when idle, and its entry with the last of them.
 */
export class H1Pool implements ConnHome {
  private readonly idle = new Map<string, UpstreamConn[]>();
  private readonly all = new Set<UpstreamConn>();
  /** Per endpoint: connections being opened, and the requests waiting (first come, first served). */
  private readonly opening = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly connector: EndpointConnector) {}

  /**
   * An idle connection to the target, or a new one while fewer than MAX_OPENING_PER_ENDPOINT connections to it are
   * being opened; undefined past that, and the request waits (`wait`).
   */
  take(target: EndpointTarget): UpstreamConn | undefined {
    const key = formatHostPort(target.addr);
    const stack = this.idle.get(key);
    while (stack && stack.length > 0) {
      const conn = stack.pop() as UpstreamConn;
      if (conn.alive) return conn;
    }
    if ((this.opening.get(key) ?? 0) < MAX_OPENING_PER_ENDPOINT) return this.open(target);
    return undefined;
  }

  /**
   * Queues a request that `take` found no connection for: `use` gets the first connection to its endpoint that is
   * released or finishes opening, in arrival order. Returns a function that withdraws it (its client left).
   */
  wait(target: EndpointTarget, use: (conn: UpstreamConn) => void, fail: (error: unknown) => void): () => void {
    const key = formatHostPort(target.addr);
    const waiter: Waiter = { target, use, fail };
    const queue = this.waiting.get(key);
    if (queue) queue.push(waiter);
    else this.waiting.set(key, [waiter]);
    return () => this.withdraw(key, waiter);
  }

  /** A new connection to the target, whatever is idle. */
  open(target: EndpointTarget): UpstreamConn {
    const key = formatHostPort(target.addr);
    const socket = this.connector.connect(target, 'http/1.1');
    const conn = new UpstreamConn(socket, key, this);
    this.all.add(conn);
    this.sweeper ??= setInterval(this.sweep, SWEEP_EVERY_MS).unref();
    if (!socket.destroyed) {
      this.opening.set(key, (this.opening.get(key) ?? 0) + 1);
      let counted = true;
      const opened = (): void => {
        if (!counted) return;
        counted = false;
        const left = (this.opening.get(key) ?? 1) - 1;
        if (left > 0) this.opening.set(key, left);
        else this.opening.delete(key);
        // Keep as many openings going as requests still wait beyond them (up to the cap); released connections
        // serve the queue meanwhile, usually sooner.
        const next = left < MAX_OPENING_PER_ENDPOINT ? this.shift(key) : undefined;
        if (!next) return;
        try {
          next.use(this.open(next.target));
        } catch (error) {
          next.fail(error);
        }
      };
      socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', opened);
      socket.once('close', opened);
    }
    return conn;
  }

  release(conn: UpstreamConn): void {
    conn.idleSweeps = 0;
    const waiter = this.shift(conn.key);
    if (waiter) {
      // Handed over once the exchange that released it has unwound; a connection that closed meanwhile is not.
      queueMicrotask(() => {
        if (conn.alive) waiter.use(conn);
        else this.acquireFor(waiter);
      });
      return;
    }
    const stack = this.idle.get(conn.key);
    if (stack) stack.push(conn);
    else this.idle.set(conn.key, [conn]);
  }

  /** Serves a waiter again, ahead of the others (it was first in line). */
  private acquireFor(waiter: Waiter): void {
    let conn: UpstreamConn | undefined;
    try {
      conn = this.take(waiter.target);
    } catch (error) {
      waiter.fail(error);
      return;
    }
    if (conn) {
      waiter.use(conn);
      return;
    }
    const key = formatHostPort(waiter.target.addr);
    const queue = this.waiting.get(key);
    if (queue) queue.unshift(waiter);
    else this.waiting.set(key, [waiter]);
  }

  private shift(key: string): Waiter | undefined {
    const queue = this.waiting.get(key);
    const waiter = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(key);
    return waiter;
  }

  private withdraw(key: string, waiter: Waiter): void {
    const queue = this.waiting.get(key);
    const i = queue ? queue.indexOf(waiter) : -1;
    if (i < 0 || !queue) return;
    queue.splice(i, 1);
    if (queue.length === 0) this.waiting.delete(key);
  }

  forget(conn: UpstreamConn): void {
    this.all.delete(conn);
    const stack = this.idle.get(conn.key);
    if (!stack) return;
    const i = stack.indexOf(conn);
    if (i >= 0) stack.splice(i, 1);
    if (stack.length === 0) this.idle.delete(conn.key);
  }

  /** Destroys every connection (end of shutdown). */
  close(): void {
    for (const conn of this.all) conn.socket.destroy();
    this.all.clear();
    this.idle.clear();
    this.waiting.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private readonly sweep = (): void => {
    for (const conn of this.all) {
      if (conn.busy) continue;
      conn.idleSweeps += 1;
      if (conn.idleSweeps > IDLE_SWEEPS) conn.socket.destroy();
    }
    if (this.all.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  };
}

/**
 * HTTP/1.1 endpoint stage on the pool: one connection per exchange in flight, the request written straight to
 * it. Upgrades and `Expect: 100-continue` go to `fallback` (Node's client), which handles both interim answers.
 *
 * A pooled connection the upstream closed while it sat idle may be taken before its close is seen; the request
 * written onto it then fails with no byte of answer. An idempotent request without a body is sent once more, on a
 * new connection to the same endpoint (RFC 9112 §9.3.1): this is not a retry, counts against no budget, and needs no
 * retry rule. If the endpoint is gone, that connection is refused and the balancer sends the request to another.
 * A request with a body, or a non-idempotent one, may have been acted on and fails as it did (502).
 */
export function forwardHttp1Fast(
  pool: H1Pool,
  fallback: Stage<EndpointTarget>,
  options: { readonly responseTimeoutMs: number },
): Stage<EndpointTarget> {
  return (target, request) => {
    if (request.upgrade !== undefined || request.sendContinue !== undefined) return fallback(target, request);
    const { destination } = target;
    if (request.signal.aborted) return Promise.reject(toProxyError(request.signal.reason, destination));
    const timeout = request.responseTimeoutMs ?? options.responseTimeoutMs;
    return new Promise<ProxyResponse>((resolve, reject) => {
      const again = request.bodyless && IDEMPOTENT.has(request.method);
      const onStale = (error: ProxyError, stale: boolean): void => {
        if (!stale || !again || request.signal.aborted) {
          reject(error);
          return;
        }
        request.log.debug({ endpoint: destination.key }, 'pooled connection closed on reuse, sending on a new one');
        pool.open(target).send(request, destination, timeout, resolve, reject);
      };
      try {
        // The common case: a connection at once, and no closure beyond onStale.
        const conn = pool.take(target);
        if (conn) {
          conn.send(request, destination, timeout, resolve, onStale);
          return;
        }
      } catch (error) {
        reject(error instanceof ProxyError ? error : toProxyError(error, destination));
        return;
      }
      waitForConnection(pool, target, request, (conn) => conn.send(request, destination, timeout, resolve, onStale), reject);
    });
  };
}

/** A request that found every connection to its endpoint busy and MAX_OPENING_PER_ENDPOINT being opened. */
function waitForConnection(
  pool: H1Pool,
  target: EndpointTarget,
  request: ProxyRequest,
  send: (conn: UpstreamConn) => void,
  reject: (error: ProxyError) => void,
): void {
  const fail = (error: unknown): void => reject(error instanceof ProxyError ? error : toProxyError(error, target.destination));
  // While the request waits, its client may leave: it then stops waiting.
  const onAbort = (): void => {
    withdraw();
    fail(request.signal.reason);
  };
  const use = (conn: UpstreamConn): void => {
    request.signal.offAbort(onAbort);
    if (request.signal.aborted) {
      pool.release(conn);
      return;
    }
    try {
      send(conn);
    } catch (error) {
      fail(error);
    }
  };
  if (request.signal.aborted) {
    fail(request.signal.reason);
    return;
  }
  const withdraw = pool.wait(target, use, fail);
  request.signal.onAbort(onAbort);
}
