import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Direction } from '@meshviz/mesh-types';
import type { Accepted } from '../accept/listener.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import { type HttpTarget, NO_TRAILERS, type ProxyRequest, type ProxyResponse, type Stage } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { writeErrorResponse } from '../errors/respond.js';
import type { InFlight } from '../lifecycle/in-flight.js';
import { authorityLabel } from './authority.js';
import { upgradeHeaders } from './hop-by-hop.js';
import { relay } from './relay.js';

export interface UpgradeExchange {
  readonly incoming: IncomingMessage;
  readonly socket: Socket;
  /** Bytes the client sent after its request head. */
  readonly head: Buffer;
  readonly conn: Accepted;
  readonly direction: Direction;
  readonly next: Stage<HttpTarget>;
  readonly inFlight: InFlight;
}

/**
 * An HTTP/1.1 Upgrade (WebSocket and the like). The request goes through the same stack as any other and is
 * counted as one with its status (101 when granted); after a 101 the two connections become a byte tunnel, whose
 * traffic the tcp_* families count. Any other answer is relayed and the connection closed, since Node has
 * already handed the socket over and will not parse further requests on it.
 */
export function serveUpgrade(x: UpgradeExchange): void {
  const { incoming, socket, conn } = x;
  x.inFlight.enter();
  let tunnelling = false;
  const signal = new ExchangeSignal();
  socket.on('error', () => {});
  socket.once('close', () => {
    if (!tunnelling) signal.abort(new ProxyError('client_reset'));
    x.inFlight.leave();
  });

  const host = incoming.headers.host ?? '';
  const target: HttpTarget = { direction: x.direction, authority: authorityLabel(host), logical: conn.logical, original: conn.original, tls: conn.tls };
  const request: ProxyRequest = {
    version: 'http/1.1',
    method: incoming.method ?? 'GET',
    path: incoming.url ?? '/',
    authority: host,
    headers: upgradeHeaders(incoming.rawHeaders, 'request'),
    peer: conn.peer,
    body: incoming,
    bodyless: true,
    trailers: NO_TRAILERS,
    grpc: false,
    upgrade: x.head,
    sendContinue: undefined,
    receivedAt: performance.now(),
    signal,
    log: conn.log,
  };

  x.next(target, request).then(
    (response) => {
      if (response.upgrade && !socket.destroyed) {
        tunnelling = true;
        tunnel(socket, response, response.upgrade);
        return;
      }
      response.upgrade?.socket.destroy();
      relay(closingResponse(incoming, socket), response, true);
    },
    (thrown: unknown) => {
      const error = toProxyError(thrown);
      conn.log.debug({ kind: error.kind, err: error.cause }, 'upgrade failed');
      writeErrorResponse(closingResponse(incoming, socket), error.kind, true);
    },
  );
}

/** Writes the 101 and joins the two connections; a reset on either side resets the other. */
function tunnel(client: Socket, response: ProxyResponse, upstream: { socket: Duplex; head: Buffer }): void {
  const lines = [`HTTP/1.1 101 ${response.statusMessage || 'Switching Protocols'}`];
  const headers = upgradeHeaders(response.headers, 'response');
  for (let i = 0; i < headers.length; i += 2) lines.push(`${headers[i]}: ${headers[i + 1]}`);
  client.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (upstream.head.length > 0) client.write(upstream.head);
  // The exchange is complete as HTTP: let the metrics count the 101 now.
  response.body.resume();
  const server = upstream.socket as Socket;
  server.on('error', () => {});
  // A side that closes cleanly has sent its FIN (which pipe() passes on); one that was reset or destroyed
  // without a FIN leaves the other to be reset or ended here.
  const cut = (other: Socket) => (hadError: boolean) => {
    if (other.destroyed) return;
    if (hadError) other.resetAndDestroy();
    else other.end();
  };
  client.once('close', cut(server));
  server.once('close', cut(client));
  client.pipe(server);
  server.pipe(client);
}

/** A response writer on a socket Node has already handed over for the upgrade; it closes once written. */
function closingResponse(incoming: IncomingMessage, socket: Socket): ServerResponse {
  const res = new ServerResponse(incoming);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once('finish', () => socket.end());
  return res;
}
