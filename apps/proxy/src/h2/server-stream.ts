import type { ExchangeSignal } from '../core/exchange-signal.js';
import { h2Fields, sendableFields } from '../http/h2-headers.js';
import { ErrorCode } from './frame.js';
import type { RequestHead } from './request-head.js';
import type { H2ServerSession } from './server-session.js';
import { H2Stream } from './stream-base.js';

const NONE: readonly string[] = [];

/** Where the trailers of a response come from once its body has ended (the upstream's ProxyResponse). */
export interface TrailerSource {
  trailers(): readonly string[];
}

/**
 * One request on an H2ServerSession. The object is the request body (a Readable: flow-control credit goes back to
 * the client as the body is read, so a slow upstream slows the client down) and the response's sink: `respond`
 * sends the head, `write`/`end` send the body within the client's windows, and the trailers follow the body.
 * It is destroyed (and emits 'close') when the stream closes on the wire: both sides ended, or reset.
 */
export class H2ServerStream extends H2Stream<H2ServerStream> {
  /** The client reset the stream. */
  resetByPeer = false;
  /** RST_STREAM code when the stream was reset by either side, 0 otherwise. */
  rstCode = 0;
  headersSent = false;
  /** Request trailers, once they arrived. */
  trailers: readonly string[] = NONE;
  /** Request body octets received, checked against the announced content-length. */
  received = 0;
  /** Response trailers, read when the body ends. */
  trailerFields: readonly string[] = NONE;
  trailerSource: TrailerSource | undefined = undefined;
  /** Set by the server stage: the exchange's signal, so the session's close callback needs no closure. */
  signal: ExchangeSignal | undefined = undefined;

  constructor(
    private readonly session: H2ServerSession,
    id: number,
    readonly head: RequestHead,
    windows: { recv: number; send: number },
  ) {
    // Not destroyed when the body has been read: the response may still be going out.
    super(session, windows, { autoDestroy: false });
    this.id = id;
  }

  /** Sends the response head (`fields` starts with :status); `endStream`: it is the whole answer. */
  respond(fields: readonly string[], endStream: boolean, trailers?: TrailerSource): void {
    if (this.headersSent || this.closedOnWire) return;
    this.headersSent = true;
    this.trailerSource = trailers;
    this.session.sendHeaders(this, fields, endStream);
  }

  /** Ends the response body: END_STREAM on the last DATA, or on the trailers when there are any. */
  end(body?: Buffer | string): void {
    if (this.ending || this.localEnded || this.closedOnWire) return;
    if (body !== undefined) this.write(typeof body === 'string' ? Buffer.from(body) : body);
    this.ending = true;
    const source = this.trailerSource;
    if (source) {
      // Trailers are a head like any other: connection-specific fields go, and one that cannot be sent cuts the
      // answer short (the client sees a reset, as for a body cut short).
      const fields = h2Fields(source.trailers());
      if (!sendableFields(fields)) {
        this.reset(ErrorCode.INTERNAL_ERROR);
        return;
      }
      this.trailerFields = fields;
    }
    this.session.flush(this);
  }

  /** The stream can carry nothing more (the proxy's error answer checks this). */
  get gone(): boolean {
    return this.closedOnWire;
  }

  /** A whole answer at once: the head and, when given, a body (the proxy's own error answers). */
  answer(fields: string[], body: string | undefined): void {
    this.respond(fields, body === undefined);
    if (body !== undefined) this.end(body);
  }

  /** Resets the stream (the client sees an incomplete message). */
  reset(code: number): void {
    this.session.resetStream(this, code);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Destroyed by its user (not by the session closing it): the stream is cancelled on the wire.
    if (!this.closedOnWire) this.session.resetStream(this, 0x8);
    callback(error);
  }
}
