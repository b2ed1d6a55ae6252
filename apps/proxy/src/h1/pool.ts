import { formatHostPort } from '@meshviz/runtime';
import type { ProxyResponse, Stage } from '../core/stage.js';
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
 * HTTP/1.1 connections to endpoints, kept per endpoint address and reused last-in first-out (the most recently
 * used connection is the least likely to have been closed by the upstream). Connections are opened by the
 * connector, so mTLS and the tcp_* families apply as to every other upstream connection. An endpoint that leaves
 * discovery leaves nothing behind: its connections close when idle, and its entry with the last of them.
 */
export class H1Pool implements ConnHome {
  private readonly idle = new Map<string, UpstreamConn[]>();
  private readonly all = new Set<UpstreamConn>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly connector: EndpointConnector) {}

  /** An idle connection to the target, or a new one. */
  acquire(target: EndpointTarget): UpstreamConn {
    const stack = this.idle.get(formatHostPort(target.addr));
    while (stack && stack.length > 0) {
      const conn = stack.pop() as UpstreamConn;
      if (conn.alive) return conn;
    }
    return this.open(target);
  }

  /** A new connection to the target, whatever is idle. */
  open(target: EndpointTarget): UpstreamConn {
    const conn = new UpstreamConn(this.connector.connect(target, 'http/1.1'), formatHostPort(target.addr), this);
    this.all.add(conn);
    this.sweeper ??= setInterval(this.sweep, SWEEP_EVERY_MS).unref();
    return conn;
  }

  release(conn: UpstreamConn): void {
    conn.idleSweeps = 0;
    const stack = this.idle.get(conn.key);
    if (stack) stack.push(conn);
    else this.idle.set(conn.key, [conn]);
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
        pool.acquire(target).send(request, destination, timeout, resolve, onStale);
      } catch (error) {
        reject(error instanceof ProxyError ? error : toProxyError(error, destination));
      }
    });
  };
}
