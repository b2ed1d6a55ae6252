import net from 'node:net';
import { splitAddr } from './raw-socket.js';

export interface Trickled {
  /** ms from the first byte until the server closed the connection; undefined when it was still open at the end. */
  readonly cutAfterMs: number | undefined;
  readonly bytesSent: number;
  /** What the server said before closing (a 408, or nothing). */
  readonly response: string;
}

/**
 * A slowloris client: sends `head` one byte every `intervalMs`, never finishing it, until the server closes the
 * connection or `giveUpMs` passes. With `padding` it keeps adding that byte once the head runs out (an HTTP/1 head
 * with no blank line grows for ever); with null, it stops one byte short of the head and waits.
 */
export function trickle(address: string, head: Buffer, intervalMs: number, giveUpMs: number, padding: string | null = null): Promise<Trickled> {
  return new Promise((resolve) => {
    const socket = net.connect(splitAddr(address));
    const chunks: Buffer[] = [];
    let sent = 0;
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (cut: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ cutAfterMs: cut ? performance.now() - started : undefined, bytesSent: sent, response: Buffer.concat(chunks).toString('latin1') });
    };
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      started = performance.now();
      const next = () => {
        const byte = sent < head.length - 1 ? head.subarray(sent, sent + 1) : padding === null ? undefined : Buffer.from(padding);
        if (!byte || socket.destroyed) return;
        sent += 1;
        socket.write(byte);
      };
      next();
      timer = setInterval(next, intervalMs);
    });
  });
}
