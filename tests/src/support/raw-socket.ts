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

const PING_PAYLOAD = Buffer.from('meshfuzz', 'latin1');
const PING = Buffer.concat([Buffer.from([0, 0, 8, 6, 0, 0, 0, 0, 0]), PING_PAYLOAD]);

export interface ServerFrame {
  readonly type: number;
  readonly flags: number;
  readonly stream: number;
  readonly payload: Buffer;
}

/** The complete frames in a server's byte stream (a server's frames follow one another from its SETTINGS on). */
export function serverFrames(data: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  for (let at = 0; at + 9 <= data.length; ) {
    const length = data.readUIntBE(at, 3);
    if (at + 9 + length > data.length) break;
    const payload = data.subarray(at + 9, at + 9 + length);
    frames.push({ type: data.readUInt8(at + 3), flags: data.readUInt8(at + 4), stream: data.readUInt32BE(at + 5) & 0x7fffffff, payload });
    at += 9 + length;
  }
  return frames;
}

const isPingAck = (f: ServerFrame) => f.type === 6 && (f.flags & 1) === 1 && f.payload.equals(PING_PAYLOAD);
const isGoaway = (f: ServerFrame) => f.type === 7;

export interface H2Exchange extends RawExchange {
  /** The server acknowledged the PING sent after the input: the connection still works. */
  readonly pinged: boolean;
  /** The server sent GOAWAY: it told the client the connection is over. */
  readonly goaway: boolean;
  readonly frames: ServerFrame[];
}

/**
 * HTTP/2 clients do not half-close, so a server's liveness is asked with a PING after the input. The exchange ends
 * when `until` holds (by default: the PING is acknowledged), the server sends GOAWAY, or it closes the connection;
 * else it hung.
 */
export function exchangeH2(
  address: string,
  bytes: Buffer,
  deadlineMs: number,
  until: (frames: ServerFrame[]) => boolean = (frames) => frames.some(isPingAck),
): Promise<H2Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(splitAddr(address));
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean, hung: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const frames = serverFrames(data);
      resolve({ data, closed, hung, frames, pinged: frames.some(isPingAck), goaway: frames.some(isGoaway) });
    };
    const timer = setTimeout(() => finish(false, true), deadlineMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const frames = serverFrames(Buffer.concat(chunks));
      if (until(frames) || frames.some(isGoaway)) finish(false, false);
    });
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('connect', () => socket.write(Buffer.concat([bytes, PING])));
  });
}
