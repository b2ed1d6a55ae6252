import { DEFAULT_WINDOW, ErrorCode, Flag, FrameType, frame, H2ConnectionError, MAX_WINDOW } from './frame.js';
import type { FrameWriter } from './frame-writer.js';
import type { H2ServerStream } from './server-stream.js';

/** Response DATA waits while this much is buffered in the socket: a client that does not read cannot grow us. */
const SOCKET_HIGH_WATER = 256 * 1024;

/**
 * The send side of a server connection: response bodies go out as far as the stream's and the connection's
 * windows and the socket's buffer allow; streams that had to stop wait in `blocked` until credit or a drained
 * socket lets them go on. Nothing is sent that the client did not make room for.
 */
export class ResponseSender {
  /** What the client lets us send on the connection. */
  private window = DEFAULT_WINDOW;
  private readonly blocked = new Set<H2ServerStream>();

  constructor(
    private readonly writer: FrameWriter,
    /** Called once END_STREAM went out for a stream. */
    private readonly ended: (stream: H2ServerStream) => void,
  ) {}

  /** Sends what the stream has queued and, once all of it went, its end (on the last DATA or on trailers). */
  flush(stream: H2ServerStream): void {
    if (stream.closedOnWire || !stream.headersSent) return;
    while (stream.queue.length > 0) {
      const piece = this.writer.buffered < SOCKET_HIGH_WATER ? stream.nextPiece(Math.min(this.window, this.writer.maxFrame)) : undefined;
      if (!piece) {
        this.blocked.add(stream);
        return;
      }
      this.window -= piece.length;
      const last = stream.ending && stream.queue.length === 0 && stream.trailerFields.length === 0;
      this.writer.send(frame(FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id, piece));
      if (last) {
        this.blocked.delete(stream);
        this.ended(stream);
        return;
      }
    }
    this.blocked.delete(stream);
    stream.drained();
    if (stream.ending && !stream.localEnded && !stream.closedOnWire) {
      if (stream.trailerFields.length > 0) this.writer.headers(stream.id, stream.trailerFields, true);
      else this.writer.send(frame(FrameType.DATA, Flag.END_STREAM, stream.id));
      this.ended(stream);
    }
  }

  /** WINDOW_UPDATE on the connection. */
  credit(increment: number): void {
    this.window += increment;
    if (this.window > MAX_WINDOW) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'connection window overflow');
    this.unblock();
  }

  /** Streams that waited go on (new credit, new settings, or the socket drained). */
  unblock(): void {
    if (this.blocked.size === 0) return;
    for (const stream of [...this.blocked]) this.flush(stream);
  }

  forget(stream: H2ServerStream): void {
    this.blocked.delete(stream);
  }
}
