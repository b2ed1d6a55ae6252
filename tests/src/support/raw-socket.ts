import net from 'node:net';

export interface RawExchange {
  /** Everything the server sent. */
  readonly data: Buffer;
  /** The server closed (or reset) the connection. */
  readonly closed: boolean;
  /** Neither an answer completed nor the connection closed before the deadline. */
  readonly hung: boolean;
}

export function splitAddr(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}

/**
 * Writes bytes to a listener and collects what comes back. The exchange ends when the server closes, or when it
 * has answered and then stays quiet for `quietMs` (keep-alive). A server that says nothing for `quietMs` is told the
 * input is over (half-close), so it cannot wait for more; from then on it must close before the deadline.
 */
export function exchangeRaw(address: string, bytes: Buffer, deadlineMs: number, quietMs = 250): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(splitAddr(address));
    const chunks: Buffer[] = [];
    let settled = false;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (closed: boolean, hung: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(quiet);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed, hung });
    };
    const timer = setTimeout(() => finish(false, true), deadlineMs);
    const waitQuiet = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        if (statusCodes(Buffer.concat(chunks)).length > 0) finish(false, false);
        else socket.end();
      }, quietMs);
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      waitQuiet();
    });
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('connect', () => socket.write(bytes, () => waitQuiet()));
  });
}

/** Every HTTP/1 status line in a byte stream (pipelined answers give several). */
export function statusCodes(data: Buffer): number[] {
  return [...data.toString('latin1').matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}
