import net from 'node:net';

/** Asks the OS for a free TCP port on host; the port is released before returning, so callers bind it soon after. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Hands out distinct free ports (the OS may return a just-released port twice otherwise). */
export class PortAllocator {
  private readonly taken = new Set<number>();
  constructor(private readonly host = '127.0.0.1') {}

  async next(): Promise<number> {
    for (let i = 0; i < 50; i++) {
      const port = await freePort(this.host);
      if (!this.taken.has(port)) {
        this.taken.add(port);
        return port;
      }
    }
    throw new Error('could not find a free TCP port');
  }

  /** Reserves a port chosen by the user (0 = any free one); throws a PortInUseError when it is taken. */
  async fixed(port: number, what: string, howToChange: string): Promise<number> {
    if (port === 0) return this.next();
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen({ host: this.host, port }, () => server.close(() => resolve(true)));
    });
    if (!free) throw new PortInUseError(port, what, howToChange);
    this.taken.add(port);
    return port;
  }
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
    howToChange: string,
  ) {
    super(`port ${port} (${what}) is already in use; ${howToChange}`);
  }
}
