import { Readable, type ReadableOptions } from 'node:stream';

/** A stream's receive credit is returned once this much was read (of the 1 MiB window we announce). */
const CREDIT_THRESHOLD = 256 * 1024;
/** write() asks the caller to wait once this much of the outgoing body waits for flow-control credit. */
const WRITE_HIGH_WATER = 64 * 1024;

/** What a stream needs from its connection: sending what it queued, and returning credit for what was read. */
export interface StreamConnection<S> {
  flush(stream: S): void;
  consumed(bytes: number): void;
  creditStream(id: number, bytes: number): void;
}

/**
 * What the client and server sides of an HTTP/2 stream share on the proxy's own framing: the incoming body as a
 * Readable whose credit goes back to the peer as it is read (in batches), and the outgoing body as a queue that
 * the connection drains within the peer's windows (`nextPiece`), with write/drain backpressure for the one
 * writing it.
 */
export abstract class H2Stream<S extends H2Stream<S>> extends Readable {
  id = 0;
  /** Credit the peer still has for sending on this stream, and what we may still send. */
  recvWindow: number;
  sendWindow: number;
  /** END_STREAM sent and received. */
  localEnded = false;
  remoteEnded = false;
  /** Set once the stream is gone from its connection (closed both ways, reset, or the connection ended). */
  closedOnWire = false;
  /** The outgoing body waiting for credit. */
  readonly queue: Buffer[] = [];
  queued = 0;
  /** end() was called: END_STREAM follows the queue (or the trailers). */
  ending = false;
  private needDrain = false;
  private pushed = 0;
  private credited = 0;
  private streamOwed = 0;

  constructor(
    private readonly connection: StreamConnection<S>,
    windows: { recv: number; send: number },
    options?: ReadableOptions,
  ) {
    super(options);
    this.recvWindow = windows.recv;
    this.sendWindow = windows.send;
  }

  /** Queues a chunk of the outgoing body; false once the caller should wait for 'drain'. */
  write(chunk: Buffer): boolean {
    if (this.ending || this.closedOnWire) return false;
    if (chunk.length > 0) {
      this.queue.push(chunk);
      this.queued += chunk.length;
      this.connection.flush(this as unknown as S);
    }
    if (this.queued < WRITE_HIGH_WATER) return true;
    this.needDrain = true;
    return false;
  }

  /**
   * Takes the next piece of the queue that the stream's window and `limit` (the connection's window, the frame
   * size) allow, counting it against the stream's window; undefined when there is no credit.
   */
  nextPiece(limit: number): Buffer | undefined {
    const credit = Math.min(this.sendWindow, limit);
    if (credit <= 0) return undefined;
    const head = this.queue[0] as Buffer;
    const piece = head.length <= credit ? head : head.subarray(0, credit);
    if (piece === head) this.queue.shift();
    else this.queue[0] = head.subarray(credit);
    this.queued -= piece.length;
    this.sendWindow -= piece.length;
    return piece;
  }

  /** Called by the connection once queued bytes went out. */
  drained(): void {
    if (this.needDrain && this.queued < WRITE_HIGH_WATER) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  /** Incoming body bytes from the connection. */
  data(payload: Buffer): void {
    this.pushed += payload.length;
    this.push(payload);
  }

  /** What was received but never credited back (read or not): returned to the connection when the stream ends. */
  takeUncredited(): number {
    const owed = this.pushed - this.credited;
    this.credited = this.pushed;
    return owed;
  }

  override _read(): void {
    // What was read since the last credit goes back to the peer, in batches.
    const read = this.pushed - this.readableLength;
    const owed = read - this.credited;
    if (owed <= 0) return;
    this.credited = read;
    this.connection.consumed(owed);
    if (this.remoteEnded || this.closedOnWire) return;
    this.streamOwed += owed;
    if (this.streamOwed < CREDIT_THRESHOLD) return;
    this.recvWindow += this.streamOwed;
    this.connection.creditStream(this.id, this.streamOwed);
    this.streamOwed = 0;
  }
}
