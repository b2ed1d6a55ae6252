import net, { type Socket } from 'node:net';
import type { Direction } from '@meshviz/mesh-types';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { noTls, type TlsStatus } from '../core/tls-status.js';
import type { TcpSeries } from '../metrics/tcp-series.js';
import type { OriginalDstReader } from './original-dst.js';

/** Until a later stage decides, a connection counts as plaintext from the remote. */
const UNDECIDED = noTls('no_tls_from_remote');

/** The accept stage's target, handed to the next stage with each connection. */
export interface Accepted {
  readonly direction: Direction;
  /** Remote host:port, for logs and tap. */
  readonly peer: string;
  /** The authority the listener stands for (outbound TCP target ports); undefined on the main listeners. */
  readonly logical: string | undefined;
  /** Child logger carrying the connection's fields. */
  readonly log: Logger;
  /** The connection's TLS; a listener whose TLS is decided later hands on a placeholder the deciding stage replaces. */
  readonly tls: TlsStatus;
  /**
   * Transparent interception: where the client sent the connection before iptables redirected it here (the
   * service or pod address it dialled, inbound the app's port); undefined when it was not redirected.
   */
  readonly original?: HostPort | undefined;
}

/**
 * What a stage after accept does with a connection: detect, or one protocol when detection is off. `first`: the
 * bytes detection read (already put back into the socket), for stages that look at them again (TLS's SNI).
 */
export type ConnectionHandler = (socket: Socket, accepted: Accepted, first?: Buffer) => void;

export interface Listener {
  /** host:port actually bound (port 0 in configuration becomes the real port). */
  readonly address: string;
  /** Stops accepting; existing connections stay. */
  stopAccepting(): void;
  /** Destroys every connection still open (end of the shutdown grace period). */
  destroyConnections(): void;
}

export interface AcceptOptions {
  readonly addr: HostPort;
  readonly direction: Direction;
  readonly log: Logger;
  readonly tcp: TcpSeries;
  readonly logical?: string;
  /**
   * The TLS of every connection on this listener when it is known at accept (outbound: the local app over
   * loopback; identity off: disabled); each is then counted in the tcp_* families at once. Undefined: a later
   * stage (inbound TLS detection) decides, labels and counts each connection itself.
   */
  readonly tls: TlsStatus | undefined;
  /** Transparent interception: reads each connection's original destination. */
  readonly originalDst?: OriginalDstReader | undefined;
}

/**
 * Accept stage: binds a TCP listener, counts each connection in the tcp_* families (peer="src") and hands it,
 * with its target, to the next stage. Half-open connections are allowed, so an opaque client's FIN reaches the
 * upstream while the upstream's answer still flows back (HTTP servers do the same).
 */
export async function accept(options: AcceptOptions, next: ConnectionHandler): Promise<Listener> {
  const { direction, log, tcp, logical, tls } = options;
  const sockets = new Set<Socket>();
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Later stages add their own handlers; until they do, a reset must not become an uncaught 'error'.
    socket.on('error', () => {});
    if (tls) tcp.track(socket, direction, 'src', tls);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const original = options.originalDst?.(socket);
    const clog = original ? log.child({ direction, peer, original: formatHostPort(original) }) : log.child({ direction, peer });
    clog.debug('connection accepted');
    next(socket, { direction, peer, logical, log: clog, tls: tls ?? UNDECIDED, original });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.addr.host, port: options.addr.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error, direction }, 'listener error'));
  const bound = server.address() as net.AddressInfo;

  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    stopAccepting: () => {
      server.close();
    },
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
