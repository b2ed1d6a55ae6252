import net, { type Socket } from 'node:net';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { TapHub } from './hub.js';
import type { TapService } from './server.js';

export interface TapServer {
  /** host:port actually bound. */
  readonly address: string;
  /** Ends every Observe stream (UNAVAILABLE) and stops the server without waiting for subscribers. */
  close(): Promise<void>;
}

export interface TapServerOptions {
  /** Bearer token callers must present; unset: every call is refused (UNAUTHENTICATED). */
  readonly token: string | undefined;
  readonly log: Logger;
  /**
   * A client must have sent the HTTP/2 connection preface within this, else its connection is closed: one that
   * trickles it, or sends part of it and waits, would hold a connection for ever (slowloris). Default 10 s.
   */
  readonly prefaceTimeoutMs?: number;
}

/** `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`: what every HTTP/2 client sends first. */
const H2_PREFACE_LENGTH = 24;

/**
 * Listens on `addr` at startup, so the port is claimed (or its error reported) as before, but loads the gRPC
 * service (@grpc/grpc-js and the proto, about 25 MB of memory) only when the first connection arrives: most
 * proxies are never tapped. Connections that arrive while it loads wait; the bytes they send meanwhile are
 * buffered on the socket and read by the HTTP/2 session once it is handed in.
 */
export async function startTapServer(addr: HostPort, hub: TapHub, options: TapServerOptions): Promise<TapServer> {
  const sockets = new Set<Socket>();
  let loading: Promise<TapService> | undefined;
  let closed = false;

  const load = (): Promise<TapService> => {
    loading ??= import('./server.js').then(
      (module) => {
        options.log.debug('tap service loaded');
        return module.createTapService(hub, options);
      },
      (error: unknown) => {
        // The next connection tries again; this one cannot be served.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };

  const listener = net.createServer((socket) => {
    sockets.add(socket);
    // Counted, not read: the bytes stay for the HTTP/2 session.
    const preface = setTimeout(() => {
      if (socket.bytesRead < H2_PREFACE_LENGTH) socket.destroy();
    }, options.prefaceTimeoutMs ?? 10_000);
    socket.once('close', () => {
      clearTimeout(preface);
      sockets.delete(socket);
    });
    // Until the HTTP/2 session owns the socket, a reset by the client must not become an uncaught error.
    const ignore = (): void => {};
    socket.on('error', ignore);
    load().then(
      (service) => {
        socket.off('error', ignore);
        if (closed || socket.destroyed) socket.destroy();
        else service.accept(socket);
      },
      (error: unknown) => {
        options.log.error({ err: error }, 'tap service failed to load');
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host: addr.host, port: addr.port }, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  const { port } = listener.address() as net.AddressInfo;

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    closed = true;
    listener.close();
    const service = loading ? await loading.catch(() => undefined) : undefined;
    if (service) await service.close();
    else hub.close();
    // Whatever the service did not end (connections still waiting for it) ends here.
    for (const socket of sockets) socket.destroy();
  };
  return {
    address: formatHostPort({ host: addr.host, port }),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
