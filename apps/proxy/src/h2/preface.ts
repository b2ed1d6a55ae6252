import { ErrorCode, H2ConnectionError, PREFACE } from './frame.js';

/**
 * The 24 octets a client opens with (RFC 9113 §3.4), possibly over several reads. Anything else is a connection
 * error: the server answers GOAWAY PROTOCOL_ERROR and closes.
 */
export class PrefaceCheck {
  private seen: Buffer | undefined = Buffer.alloc(0);

  get done(): boolean {
    return this.seen === undefined;
  }

  /** What of `chunk` follows the preface (empty while it is incomplete). */
  push(chunk: Buffer): Buffer {
    const seen = Buffer.concat([this.seen ?? Buffer.alloc(0), chunk]);
    const n = Math.min(seen.length, PREFACE.length);
    if (!seen.subarray(0, n).equals(PREFACE.subarray(0, n))) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'invalid client preface');
    if (seen.length < PREFACE.length) {
      this.seen = seen;
      return seen.subarray(seen.length);
    }
    this.seen = undefined;
    return seen.subarray(PREFACE.length);
  }
}
