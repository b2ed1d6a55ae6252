import { readFileSync } from 'node:fs';
import net from 'node:net';

/** Whether `port` can be bound on `host` now (it is released again before this resolves). */
function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port }, () => server.close(() => resolve(true)));
  });
}

/** The ports the OS hands out for outgoing connections and port-0 binds (Linux's setting, else the usual one). */
export function ephemeralRange(read = () => readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')): [number, number] {
  try {
    const [low, high] = read().trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > 0 && high! >= low!) return [low!, high!];
  } catch {
    // Not Linux: fall through.
  }
  return [32768, 60999];
}

/**
 * Hands out distinct free ports for the runtime's processes, which bind them seconds later. They come from below
 * the OS's ephemeral range, in one run of consecutive ports from a random start: a port the OS handed out (port
 * 0) could be taken meanwhile as the local end of any outgoing connection on the machine (a busy demo or test run
 * makes hundreds a second), which a proxy then met as EADDRINUSE; ports outside the range are taken only by an
 * explicit bind, and a random start keeps two runtimes started together apart.
 */
export class PortAllocator {
  private readonly taken = new Set<number>();
  private cursor: number;
  private readonly low: number;
  private readonly high: number;

  constructor(
    private readonly host = '127.0.0.1',
    range?: [number, number],
  ) {
    [this.low, this.high] = range ?? [10_000, ephemeralRange()[0] - 1];
    if (!range && this.high - this.low < 1_000) {
      throw new Error(`too few ports below the ephemeral range (net.ipv4.ip_local_port_range) to run a mesh: ${this.low}-${this.high}`);
    }
    this.cursor = this.low + Math.floor(Math.random() * (this.high - this.low + 1));
  }

  async next(): Promise<number> {
    for (let i = 0; i < 500; i++) {
      const port = this.cursor;
      this.cursor = port >= this.high ? this.low : port + 1;
      if (!this.taken.has(port) && (await canBind(this.host, port))) {
        this.taken.add(port);
        return port;
      }
    }
    throw new Error(`could not find a free TCP port on ${this.host} between ${this.low} and ${this.high}`);
  }

  /** Reserves a port chosen by the user (0 = any free one); throws a PortInUseError when it is taken. */
  async fixed(port: number, what: string, howToChange: string): Promise<number> {
    if (port === 0) return this.next();
    if (!(await canBind(this.host, port))) throw new PortInUseError(port, what, howToChange);
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
