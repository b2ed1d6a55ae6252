import { Readable } from 'node:stream';
import type { H2ClientSession } from './client-session.js';

const NONE: readonly string[] = [];
const ignore = (): void => {};
/** A stream's receive credit is returned once this much was read (of the 1 MiB window we announce). */
const CREDIT_THRESHOLD = 256 * 1024;
/** write() asks the caller to wait once this much of the request body waits for flow-control credit. */
const WRITE_HIGH_WATER = 64 * 1024;

export type ResponseHandler = (status: number, fields: string[], endStream: boolean) => void;

/** Why a stream failed, with the code the proxy's error mapping reads. */
export function streamError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * One request on an H2ClientSession. The object is the response body (a Readable: flow-control credit goes back
 * to the upstream as the body is read, so a slow client slows the upstream down); `write`/`end` send the request
 * body within the upstream's windows. Destroying it before both sides ended resets the stream (CANCEL).
 */
export class H2ClientStream extends Readable {
  id = 0;
  /** Credit the upstream still has for sending on this stream, and what we may still send. */
  recvWindow: number;
  sendWindow: number;
  localEnded = false;
  remoteEnded = false;
  /** Set once the stream is gone from the session (closed both ways, reset, or the session ended). */
  closedOnWire = false;
  responded = false;
  trailers: readonly string[] = NONE;
  /** Called once the request has been sent whole (END_STREAM written) when it had a body. */
  onSent: (() => void) | undefined = undefined;
  /** Request body waiting for credit. */
  readonly queue: Buffer[] = [];
  queued = 0;
  private ending = false;
  private needDrain = false;
  private pushed = 0;
  private credited = 0;
  private streamOwed = 0;

  constructor(
    private readonly session: H2ClientSession,
    readonly fields: string[],
    readonly endStream: boolean,
    readonly requestTrailers: () => readonly string[],
    readonly onResponse: ResponseHandler,
    windows: { recv: number; send: number },
  ) {
    super();
    // Failures reach the exchange through the body's `errored` and 'close'; an 'error' without a listener would
    // end the process.
    this.on('error', ignore);
    this.recvWindow = windows.recv;
    this.sendWindow = windows.send;
    this.localEnded = endStream;
  }

  /** Queues a chunk of the request body; false once the caller should wait for 'drain'. */
  write(chunk: Buffer): boolean {
    if (this.ending || this.closedOnWire) return false;
    if (chunk.length > 0) {
      this.queue.push(chunk);
      this.queued += chunk.length;
      this.session.flush(this);
    }
    if (this.queued < WRITE_HIGH_WATER) return true;
    this.needDrain = true;
    return false;
  }

  /** Ends the request body: END_STREAM on the last DATA, or on the trailers when there are any. */
  end(): void {
    if (this.ending || this.localEnded) return;
    this.ending = true;
    this.session.flush(this);
  }

  get wantsEnd(): boolean {
    return this.ending && !this.localEnded;
  }

  /** Called by the session once queued bytes went out. */
  drained(): void {
    if (this.needDrain && this.queued < WRITE_HIGH_WATER) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  /** Response body bytes from the session. */
  data(payload: Buffer): void {
    this.pushed += payload.length;
    this.push(payload);
  }

  override _read(): void {
    // What was read since the last credit goes back to the upstream, in batches.
    const read = this.pushed - this.readableLength;
    const owed = read - this.credited;
    if (owed <= 0) return;
    this.credited = read;
    this.session.consumed(owed);
    if (this.remoteEnded || this.closedOnWire) return;
    this.streamOwed += owed;
    if (this.streamOwed < CREDIT_THRESHOLD) return;
    this.recvWindow += this.streamOwed;
    this.session.creditStream(this.id, this.streamOwed);
    this.streamOwed = 0;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.session.abandon(this);
    callback(error);
  }
}
