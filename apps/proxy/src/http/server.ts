import type { Direction } from '@meshviz/mesh-types';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Accepted, ConnectionHandler } from '../accept/listener.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { writeErrorResponse } from '../errors/respond.js';
import { authorityLabel } from './authority.js';
import type { HttpTarget, ProxyRequest, ProxyResponse, Stage } from './exchange.js';
import { stripHopByHop } from './hop-by-hop.js';
import { toPairs } from './raw-headers.js';

/** Node's default; idle client connections are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface HttpStage {
  /** Takes a connection from the accept (later: detect) stage. */
  readonly handle: ConnectionHandler;
  /**
   * From now on answers carry `Connection: close` and idle connections are closed. Resolves when no request is
   * in flight; the caller bounds the wait with the shutdown grace period.
   */
  drain(): Promise<void>;
  /** Releases the stage's timers once its connections are gone. */
  close(): void;
}

/**
 * HTTP/1.1 stage: parses requests on accepted connections and hands each, with its HttpTarget, to the next stage.
 * Writes the upstream's answer, or the proxy's own answer for a ProxyError.
 */
export function serveHttp(
  next: Stage<HttpTarget>,
  options: { direction: Direction; headerTimeoutMs: number },
): HttpStage {
  const { direction } = options;
  const server = http.createServer({
    headersTimeout: options.headerTimeoutMs,
    // Bodies stream for as long as they need; the upstream decides how long a request may take.
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the header timeout on this interval; its 30 s default would make a 10 s timeout take 40 s.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, options.headerTimeoutMs / 4)),
  });
  // This server never listens (the accept stage owns the socket), but Node only starts header-timeout checks
  // and idle-connection tracking when 'listening' fires, so fire it once.
  server.emit('listening');

  const accepted = new WeakMap<Socket, Accepted>();
  let inFlight = 0;
  let draining = false;
  let drained: (() => void)[] = [];
  const settle = (): void => {
    inFlight -= 1;
    if (draining && inFlight === 0) {
      for (const resolve of drained) resolve();
      drained = [];
    }
  };

  server.on('request', (incoming: IncomingMessage, res: ServerResponse) => {
    const conn = accepted.get(incoming.socket);
    if (!conn) {
      res.destroy();
      return;
    }
    inFlight += 1;
    exchange(incoming, res, conn).catch((error: unknown) => {
      // Only a bug gets here; answer for this request rather than let a rejection end the process.
      conn.log.error({ err: error }, 'unhandled failure in the HTTP stage');
      writeErrorResponse(res, 'internal_error', true);
    });
  });

  async function exchange(incoming: IncomingMessage, res: ServerResponse, conn: Accepted): Promise<void> {
    const controller = new AbortController();
    const socket = incoming.socket;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      socket.off('close', finish);
      // A response that never completed means the client left: tell the inner stages to let go of upstream.
      if (!res.writableFinished) controller.abort(new ProxyError('client_reset'));
      settle();
    };
    res.once('close', finish);
    socket.once('close', finish); // pipelined requests queued behind another never get their own 'close'
    // Client resets surface as res/socket 'close'; an 'error' without a listener would end the process.
    incoming.on('error', () => {});
    res.on('error', () => {});

    const target: HttpTarget = { direction, authority: authorityLabel(incoming.headers.host) };
    const request: ProxyRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: stripHopByHop(incoming.rawHeaders, 'request'),
      body: incoming,
      receivedAt: performance.now(),
      signal: controller.signal,
      log: conn.log,
    };

    let response: ProxyResponse;
    try {
      response = await next(target, request);
    } catch (thrown) {
      const error = toProxyError(thrown);
      if (error.kind === 'internal_error') conn.log.error({ err: error.cause ?? error }, 'proxy error');
      else conn.log.debug({ kind: error.kind, err: error.cause }, 'request failed');
      writeErrorResponse(res, error.kind, draining);
      return;
    }
    try {
      relay(res, response, draining);
    } catch (thrown) {
      // writeHead rejects header values Node's parser accepted (e.g. control characters in a status message).
      const error = toProxyError(thrown, response.destination);
      response.body.destroy(error);
      writeErrorResponse(res, error.kind, draining);
    }
  }

  return {
    handle: (socket, conn) => {
      accepted.set(socket, conn);
      server.emit('connection', socket);
    },
    drain: () => {
      draining = true;
      server.closeIdleConnections();
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => drained.push(resolve));
    },
    // Not listening, so close() only stops the header-timeout checks and drops idle connections.
    close: () => server.close(),
  };
}

/** Streams the upstream response to the client, trailers included, with backpressure. */
function relay(res: ServerResponse, response: ProxyResponse, closeConnection: boolean): void {
  const headers = stripHopByHop(response.headers, 'response');
  if (closeConnection) headers.push('connection', 'close');
  res.writeHead(response.status, response.statusMessage, headers);
  const { body } = response;
  body.once('end', () => {
    if (body.rawTrailers.length > 0) res.addTrailers(toPairs(body.rawTrailers));
  });
  // A body cut short (upstream reset, or released because the client left) must cut the client's response too:
  // in HTTP/1.1 a closed connection is the only way to say "incomplete". pipe() rather than pipeline(): the
  // latter costs an AbortController and a DOMException per response, measurable on the hot path.
  body.once('close', () => {
    if (!body.readableEnded) res.destroy();
  });
  body.pipe(res);
}
