import type { H2ClientSession } from './client-session.js';
import { H2Stream } from './stream-base.js';

const NONE: readonly string[] = [];
const ignore = (): void => {};

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
export class H2ClientStream extends H2Stream<H2ClientStream> {
  responded = false;
  trailers: readonly string[] = NONE;
  /** Called once the request has been sent whole (END_STREAM written) when it had a body. */
  onSent: (() => void) | undefined = undefined;

  constructor(
    private readonly session: H2ClientSession,
    readonly fields: string[],
    readonly endStream: boolean,
    readonly requestTrailers: () => readonly string[],
    readonly onResponse: ResponseHandler,
    windows: { recv: number; send: number },
  ) {
    super(session, windows);
    // Failures reach the exchange through the body's `errored` and 'close'; an 'error' without a listener would
    // end the process.
    this.on('error', ignore);
    this.localEnded = endStream;
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

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.session.abandon(this);
    callback(error);
  }
}
