import type { Direction } from '@meshviz/mesh-types';
import net, { type Socket } from 'node:net';
import type { Logger } from 'pino';
import { formatHostPort, type HostPort } from '../host-port.js';

/** The accept stage's target, handed to the next stage with each connection. */
export interface Accepted {
  readonly direction: Direction;
  /** Remote host:port, for logs. */
  readonly peer: string;
  /** Child logger carrying the connection's fields. */
  readonly log: Logger;
}

/** What a stage after accept does with a connection (today: HTTP/1.1; next: protocol detection). */
export type ConnectionHandler = (socket: Socket, accepted: Accepted) => void;

export interface Listener {
  /** host:port actually bound (port 0 in configuration becomes the real port). */
  readonly address: string;
  /** Stops accepting; existing connections stay. */
  stopAccepting(): void;
  /** Destroys every connection still open (end of the shutdown grace period). */
  destroyConnections(): void;
}

/** Accept stage: binds a TCP listener and hands each connection, with its target, to the next stage. */
export async function accept(
  addr: HostPort,
  direction: Direction,
  log: Logger,
  next: ConnectionHandler,
): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Later stages add their own handlers; until they do, a reset must not become an uncaught 'error'.
    socket.on('error', () => {});
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    const clog = log.child({ direction, peer });
    clog.debug('connection accepted');
    next(socket, { direction, peer, log: clog });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port }, () => {
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
