import net, { type AddressInfo, type Socket } from 'node:net';

export interface TcpServer {
  readonly addr: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A raw TCP server on a free loopback port; `onConnection` decides what it speaks. */
export async function startTcpServer(onConnection: (socket: Socket) => void): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Echoes everything and, once the client half-closes, half-closes too (so a tunnel must carry both FINs). */
export const echo = (socket: Socket): void => {
  socket.pipe(socket);
};

/** A free loopback port, released for the caller to bind. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Exchange {
  readonly data: Buffer;
  /** How the connection ended: 'end' (FIN), or the error code. */
  readonly ending: string;
  /** ms from connect to the first byte received (NaN when none came). */
  readonly firstByteMs: number;
}

/** Connects, writes `payload` (then half-closes when asked) and collects everything until the connection ends. */
export function talk(address: string, payload: Buffer | undefined, options: { halfClose?: boolean; closeAfterMs?: number } = {}): Promise<Exchange> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.slice(0, i), port: Number(address.slice(i + 1)), allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let started = 0;
    let firstByteMs = Number.NaN;
    let ending = 'close';
    socket.on('connect', () => {
      started = performance.now();
      if (payload) socket.write(payload);
      if (options.halfClose) socket.end();
      if (options.closeAfterMs !== undefined) setTimeout(() => socket.destroy(), options.closeAfterMs);
    });
    socket.on('data', (c: Buffer) => {
      if (chunks.length === 0) firstByteMs = performance.now() - started;
      chunks.push(c);
    });
    socket.on('end', () => {
      ending = 'end';
      socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      ending = e.code ?? 'error';
    });
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), ending, firstByteMs }));
  });
}
