import type { Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { parseIdentityName, TRANSPORT_ALPN } from '@meshviz/mesh-types';
import type { Logger } from 'pino';
import type { Accepted, ConnectionHandler } from '../accept/listener.js';
import { securedTls } from '../core/tls-status.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { TcpSeries } from '../metrics/tcp-series.js';
import { clientHelloServerName } from './client-hello.js';
import { certificateDnsNames } from './connect.js';

export interface TerminateOptions {
  readonly identity: LocalIdentity;
  readonly tcp: TcpSeries;
  readonly handshakeTimeoutMs: number;
  readonly log: Logger;
}

/** Where a decrypted connection goes, by the protocol its client negotiated (ALPN); `other` sniffs the bytes. */
export interface DecryptedHandlers {
  readonly http1: ConnectionHandler;
  readonly h2: ConnectionHandler;
  readonly opaque: ConnectionHandler;
  readonly other: ConnectionHandler;
}

const ALPN = ['h2', 'http/1.1', TRANSPORT_ALPN];

/**
 * Inbound TLS stage: a ClientHello that asks for this proxy's own identity (SNI) is mutual TLS from another proxy.
 * It is terminated here (TLS 1.3, the client must present a certificate that chains to the mesh's anchors), the
 * client's identity becomes the connection's `client_id`, and the decrypted stream goes on by its ALPN protocol.
 * A ClientHello for another mesh identity is terminated too, with this proxy's own certificate, so the caller's
 * identity check fails with a clear mismatch instead of a confusing protocol error; a ClientHello for any other
 * name is the application's own TLS and passes through untouched (`passthrough`).
 * Handshakes that fail or stall past the timeout close only their own connection.
 */
export function terminateTls(
  options: TerminateOptions,
  handlers: DecryptedHandlers,
  passthrough: ConnectionHandler,
): ConnectionHandler {
  const { identity, tcp } = options;
  const pending = new Map<string, { raw: Socket; accepted: Accepted }>();
  const server = tls.createServer({
    requestCert: true,
    rejectUnauthorized: true,
    ALPNProtocols: ALPN,
    handshakeTimeout: options.handshakeTimeoutMs,
    minVersion: 'TLSv1.3',
    ...(identity.ready ? identity.contextOptions() : {}),
  });
  // The server's default session tickets let client proxies resume (no certificates, signatures or chain checks
  // on either side). A new context comes with new ticket keys, so no session from before a certificate or anchor
  // change is resumed after it.
  identity.onChange(() => server.setSecureContext(identity.contextOptions()));

  server.on('secureConnection', (socket: TLSSocket) => {
    const key = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const entry = pending.get(key);
    pending.delete(key);
    const names = certificateDnsNames(socket.getPeerCertificate());
    const clientId = names.length === 1 && parseIdentityName(names[0]!) ? names[0]! : undefined;
    if (!entry || !clientId) {
      entry?.accepted.log.info({ names }, 'mTLS client certificate carries no single identity name; closing');
      socket.destroy();
      return;
    }
    const status = securedTls(clientId);
    tcp.track(entry.raw, 'inbound', 'src', status);
    socket.on('error', () => {});
    const accepted: Accepted = { ...entry.accepted, tls: status, log: entry.accepted.log.child({ clientId }) };
    accepted.log.debug({ alpn: socket.alpnProtocol }, 'mTLS established');
    const alpn = socket.alpnProtocol;
    const next =
      alpn === 'h2' ? handlers.h2 : alpn === 'http/1.1' ? handlers.http1 : alpn === TRANSPORT_ALPN ? handlers.opaque : handlers.other;
    next(socket, accepted);
  });
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    const key = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const entry = pending.get(key);
    pending.delete(key);
    // The socket may already be gone (its address with it); the log then names no peer.
    (entry?.accepted.log ?? options.log).info({ reason: error.code ?? error.message }, 'inbound TLS handshake failed');
    entry?.raw.destroy();
  });

  return (raw, accepted, first) => {
    const name = first ? clientHelloServerName(first) : undefined;
    if (name === undefined || !parseIdentityName(name)) {
      passthrough(raw, accepted);
      return;
    }
    if (!identity.ready) {
      accepted.log.info('mTLS client before this proxy holds a certificate; closing');
      raw.destroy();
      return;
    }
    pending.set(accepted.peer, { raw, accepted });
    raw.once('close', () => {
      if (pending.get(accepted.peer)?.raw === raw) pending.delete(accepted.peer);
    });
    server.emit('connection', raw);
  };
}
