import net, { type Socket } from 'node:net';
import type { Direction } from '@meshviz/mesh-types';
import type { Destination } from '../core/stage.js';
import { noTls, TLS_DISABLED, type TlsStatus } from '../core/tls-status.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { TcpSeries } from '../metrics/tcp-series.js';
import { connectTls } from '../tls/connect.js';
import type { EndpointTarget } from './forward.js';

/** Opens the connection to an endpoint for one protocol (its ALPN name when the connection is mTLS). */
export interface EndpointConnector {
  connect(target: EndpointTarget, alpn: string): Socket;
  /** The TLS a connection to this destination has, as metrics label it. */
  tlsOf(destination: Destination | undefined): TlsStatus;
}

export interface ConnectorOptions {
  readonly direction: Direction;
  readonly connectTimeoutMs: number;
  readonly tcp: TcpSeries;
  /** This proxy's identity; undefined when it runs without one (every connection is plaintext). */
  readonly identity: LocalIdentity | undefined;
}

/**
 * The one place upstream connections are opened (HTTP/1.1 pool, HTTP/2 sessions, opaque tunnels). Outbound, an
 * endpoint that discovery gave an identity gets mutual TLS; anything else is plain TCP, labelled with why. Inbound
 * upstream is the local application over loopback. A connection not established within the connect timeout fails
 * with connect_timeout (the OS would wait minutes). Half-open is allowed so a tunnel can relay each side's FIN.
 */
export function createConnector(options: ConnectorOptions): EndpointConnector {
  const { direction, identity, tcp, connectTimeoutMs } = options;
  const plain = !identity ? TLS_DISABLED : noTls(direction === 'inbound' ? 'loopback' : 'not_provided_by_service_discovery');
  const tlsOf = (destination: Destination | undefined): TlsStatus =>
    identity && destination?.tls?.secured ? destination.tls : plain;

  const connect = (target: EndpointTarget, alpn: string): Socket => {
    const tls = tlsOf(target.destination);
    let socket: Socket;
    if (!tls.secured) {
      socket = net.connect({ host: target.addr.host, port: target.addr.port, noDelay: true, allowHalfOpen: true });
    } else if (identity?.ready) {
      socket = connectTls(target.addr, identity, tls.peerId, alpn);
    } else {
      // Discovery says the endpoint requires mTLS, and this proxy holds no certificate yet: fail at once and say so.
      socket = new net.Socket();
      process.nextTick(() => socket.destroy(new ProxyError('identity_not_ready')));
      return socket;
    }
    const timer = setTimeout(() => socket.destroy(new ProxyError('connect_timeout')), connectTimeoutMs);
    const clear = (): void => clearTimeout(timer);
    // For mTLS the deadline covers the handshake too: a peer that accepts and then stalls is no better than none.
    socket.once(tls.secured ? 'secureConnect' : 'connect', clear);
    socket.once('close', clear);
    tcp.trackOnConnect(socket, direction, tls, target.destination);
    return socket;
  };
  return { connect, tlsOf };
}
