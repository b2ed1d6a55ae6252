import type { Socket } from 'node:net';
import { DEFAULT_MAX_FRAME, Flag, FrameType, frame } from './frame.js';
import { HpackEncoder } from './hpack.js';

/** Past this many octets a tick's frames are handed to the socket one by one (corked) instead of joined. */
const JOIN_LIMIT = 64 * 1024;

/**
 * The write side of the proxy's HTTP/2 connections (client and server). Frames sent in one tick leave in one
 * socket write on the next: joined into one buffer while they are small (a write per frame was a fifth of the
 * proxy's CPU under load, and even corked writes cost Node a request object each), corked when large bodies are
 * among them. Header blocks are HPACK-encoded and cut into HEADERS plus CONTINUATIONs by the peer's frame size.
 */
export class FrameWriter {
  /** The peer's SETTINGS_MAX_FRAME_SIZE. */
  maxFrame = DEFAULT_MAX_FRAME;
  /** The encoder's table size follows the peer's SETTINGS_HEADER_TABLE_SIZE. */
  readonly encoder = new HpackEncoder();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private scheduled = false;

  constructor(private readonly socket: Socket) {}

  send(data: Buffer): void {
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.onTick);
    }
  }

  /** Octets sent but not yet on the wire: ours of this tick plus what the socket still buffers. */
  get buffered(): number {
    return this.pendingBytes + this.socket.writableLength;
  }

  /** Hands what this tick sent to the socket now (before it is ended). */
  flush(): void {
    const { pending, pendingBytes } = this;
    if (pending.length === 0) return;
    this.pending = [];
    this.pendingBytes = 0;
    const { socket } = this;
    if (!socket.writable) return;
    if (pending.length === 1) socket.write(pending[0] as Buffer);
    else if (pendingBytes <= JOIN_LIMIT) socket.write(Buffer.concat(pending, pendingBytes));
    else {
      socket.cork();
      for (const data of pending) socket.write(data);
      socket.uncork();
    }
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };

  /** A header block as HEADERS plus as many CONTINUATIONs as the peer's frame size needs. */
  headers(id: number, fields: readonly string[], endStream: boolean): void {
    const framed = this.encoder.encode(fields, 9);
    const length = framed.length - 9;
    const end = endStream ? Flag.END_STREAM : 0;
    if (length <= this.maxFrame) {
      // The usual case: the block was encoded behind room for its frame head.
      framed.writeUIntBE(length, 0, 3);
      framed[3] = FrameType.HEADERS;
      framed[4] = end | Flag.END_HEADERS;
      framed.writeUInt32BE(id & 0x7fffffff, 5);
      this.send(framed);
      return;
    }
    const block = framed.subarray(9);
    for (let offset = 0; offset < block.length; offset += this.maxFrame) {
      const piece = block.subarray(offset, offset + this.maxFrame);
      const last = offset + this.maxFrame >= block.length ? Flag.END_HEADERS : 0;
      const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
      this.send(frame(type, (offset === 0 ? end : 0) | last, id, piece));
    }
  }
}
