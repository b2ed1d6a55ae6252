import type { Socket } from 'node:net';
import { DEFAULT_MAX_FRAME, Flag, FrameType, frame } from './frame.js';
import { HpackEncoder } from './hpack.js';

/**
 * The write side of the proxy's HTTP/2 client connection. Frames written in one tick leave in one system call: the
 * socket is corked at the first and uncorked on the next tick (a write per frame was a fifth of the proxy's CPU
 * under load). Header blocks are HPACK-encoded and cut into HEADERS plus CONTINUATIONs by the peer's frame size.
 */
export class FrameWriter {
  /** The peer's SETTINGS_MAX_FRAME_SIZE. */
  maxFrame = DEFAULT_MAX_FRAME;
  /** The encoder's table size follows the peer's SETTINGS_HEADER_TABLE_SIZE. */
  readonly encoder = new HpackEncoder();
  private corked = false;

  constructor(private readonly socket: Socket) {}

  send(data: Buffer): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(data);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  /** A header block as HEADERS plus as many CONTINUATIONs as the peer's frame size needs. */
  headers(id: number, fields: readonly string[], endStream: boolean): void {
    const block = this.encoder.encode(fields);
    const end = endStream ? Flag.END_STREAM : 0;
    if (block.length <= this.maxFrame) {
      this.send(frame(FrameType.HEADERS, end | Flag.END_HEADERS, id, block));
      return;
    }
    for (let offset = 0; offset < block.length; offset += this.maxFrame) {
      const piece = block.subarray(offset, offset + this.maxFrame);
      const last = offset + this.maxFrame >= block.length ? Flag.END_HEADERS : 0;
      const type = offset === 0 ? FrameType.HEADERS : FrameType.CONTINUATION;
      this.send(frame(type, (offset === 0 ? end : 0) | last, id, piece));
    }
  }
}
