import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Direction } from '@meshviz/mesh-types';
import type { Accepted, ConnectionHandler } from '../accept/listener.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import type { HttpTarget, ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { writeErrorResponse } from '../errors/respond.js';
import { InFlight } from '../lifecycle/in-flight.js';
import type { Drainable } from '../lifecycle/side.js';
import { authorityLabel } from './authority.js';
import { stripHopByHop } from './hop-by-hop.js';
import { MAX_HEADER_BYTES } from './limits.js';
import { relay } from './relay.js';
import { serveUpgrade } from './upgrade.js';

/** Node's default; idle client connections are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface HttpStage extends Drainable {
  /** Takes a connection from the detect (or accept) stage. */
  readonly handle: ConnectionHandler;
}

/**
 * HTTP/1.1 stage: parses requests on handed-over connections and hands each, with its HttpTarget, to the next
 * stage. Writes the upstream's answer, or the proxy's own answer for a ProxyError. Malformed requests (bad
 * request line, conflicting Content-Length and Transfer-Encoding) get Node's 400, heads over 64 KiB its 431,
 * and heads not complete within the header timeout its 408; each closes only the offending connection.
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
    maxHeaderSize: MAX_HEADER_BYTES,
    // Node checks the header timeout on this interval; its 30 s default would make a 10 s timeout take 40 s.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, options.headerTimeoutMs / 4)),
  });
  // This server never listens (the accept stage owns the socket), but Node only starts header-timeout checks
  // and idle-connection tracking when 'listening' fires, so fire it once.
  server.emit('listening');
  // A client may send its request and half-close at once (FIN after the last byte). Node's server otherwise aborts
  // the request on the FIN and answers nothing; with this it answers what it received and then ends the
  // connection. (A public field of http.Server since Node's first releases, though not in the option list.)
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  const accepted = new WeakMap<Socket, Accepted>();
  const inFlight = new InFlight();
  let draining = false;

  const start = (incoming: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void => {
    const conn = accepted.get(incoming.socket);
    if (!conn) {
      res.destroy();
      return;
    }
    inFlight.enter();
    exchange(incoming, res, conn, expectsContinue).catch((error: unknown) => {
      // Only a bug gets here; answer for this request rather than let a rejection end the process.
      conn.log.error({ err: error }, 'unhandled failure in the HTTP stage');
      writeErrorResponse(res, 'internal_error', true);
    });
  };
  server.on('request', (incoming: IncomingMessage, res: ServerResponse) => start(incoming, res, false));
  // With a listener here Node leaves the 100 Continue to us: it is sent once the upstream sends one.
  server.on('checkContinue', (incoming: IncomingMessage, res: ServerResponse) => start(incoming, res, true));
  server.on('upgrade', (incoming: IncomingMessage, socket: Socket, head: Buffer) => {
    const conn = accepted.get(socket);
    if (!conn) return socket.destroy();
    serveUpgrade({ incoming, socket, head, conn, direction, next, inFlight });
  });

  async function exchange(
    incoming: IncomingMessage,
    res: ServerResponse,
    conn: Accepted,
    expectsContinue: boolean,
  ): Promise<void> {
    const signal = new ExchangeSignal();
    const socket = incoming.socket;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      socket.off('close', finish);
      // A response that never completed means the client left: tell the inner stages to let go of upstream.
      if (!res.writableFinished) signal.abort(new ProxyError('client_reset'));
      inFlight.leave();
    };
    res.once('close', finish);
    socket.once('close', finish); // pipelined requests queued behind another never get their own 'close'
    // Client resets surface as res/socket 'close'; an 'error' without a listener would end the process.
    incoming.on('error', () => {});
    res.on('error', () => {});

    let continued = !expectsContinue;
    const { headers } = incoming;
    const host = headers.host ?? '';
    const target: HttpTarget = { direction, authority: authorityLabel(host), logical: conn.logical, original: conn.original, tls: conn.tls };
    const request: ProxyRequest = {
      version: 'http/1.1',
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      authority: host,
      headers: stripHopByHop(incoming.rawHeaders, 'request'),
      peer: conn.peer,
      body: incoming,
      bodyless: headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0',
      trailers: () => incoming.rawTrailers,
      grpc: false,
      upgrade: undefined,
      sendContinue: expectsContinue
        ? () => {
            if (continued || res.headersSent) return;
            continued = true;
            res.writeContinue();
          }
        : undefined,
      receivedAt: performance.now(),
      signal,
      log: conn.log,
    };

    let response: ProxyResponse;
    try {
      response = await next(target, request);
    } catch (thrown) {
      const error = toProxyError(thrown);
      if (error.kind === 'internal_error') conn.log.error({ err: error.cause ?? error }, 'proxy error');
      else conn.log.debug({ kind: error.kind, err: error.cause }, 'request failed');
      writeErrorResponse(res, error.kind, draining || !continued);
      return;
    }
    try {
      // A final answer before 100 Continue means the client never sent its body: the connection cannot be reused.
      relay(res, response, draining || !continued);
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
      // Detection paused the socket to put its first bytes back; the parser reads from here on.
      socket.resume();
    },
    drain: () => {
      draining = true;
      server.closeIdleConnections();
      return inFlight.idle();
    },
    // Not listening, so close() only stops the header-timeout checks and drops idle connections.
    close: () => server.close(),
  };
}
