import type { Socket } from 'node:net';
import { MAX_HEADER_BYTES } from '../http/limits.js';
import { NOT_FIELD_TEXT, TOKEN } from './syntax.js';

const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILERS = 3;
const DONE = 4;

/** Longest chunk-size line accepted (size, extensions and CRLF); real ones are a few bytes. */
const MAX_SIZE_LINE = 1024;
const HEX_SIZE = /^[0-9a-fA-F]{1,12}(?:[ \t]*;.*)?$/;

/**
 * Decodes a chunked body (RFC 9112 §7.1) as it streams, extensions ignored and trailers kept as a raw list. One
 * per body, fed with whatever bytes arrive; decoded data is handed to `onData` as slices of the input.
 */
export class ChunkedDecoder {
  private state = SIZE;
  private remaining = 0;
  /** Bytes of a size line or the trailer section split across reads. */
  private partial = '';
  trailers: string[] = [];

  get done(): boolean {
    return this.state === DONE;
  }

  /**
   * Consumes from `buf` at `start`; returns the offset where the body ended (the rest belongs to the next
   * message), `buf.length` when it needs more, or -1 when the framing is broken.
   */
  feed(buf: Buffer, start: number, onData: (chunk: Buffer) => void): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case DATA: {
          const take = Math.min(this.remaining, n - i);
          onData(buf.subarray(i, i + take));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = DATA_END;
          break;
        }
        case DATA_END: {
          const lf = this.line(buf, i, 2);
          if (lf === -2) return -1;
          if (lf === -1) return n;
          if (this.partial !== '') return -1;
          i = lf;
          this.state = SIZE;
          break;
        }
        case SIZE: {
          const lf = this.line(buf, i, MAX_SIZE_LINE);
          if (lf === -2) return -1;
          if (lf === -1) return n;
          const text = this.partial;
          this.partial = '';
          i = lf;
          if (!HEX_SIZE.test(text)) return -1;
          const semi = text.indexOf(';');
          this.remaining = Number.parseInt(semi < 0 ? text : text.slice(0, semi), 16);
          this.state = this.remaining === 0 ? TRAILERS : DATA;
          break;
        }
        case TRAILERS: {
          const lf = this.line(buf, i, MAX_HEADER_BYTES);
          if (lf === -2) return -1;
          if (lf === -1) return n;
          const text = this.partial;
          this.partial = '';
          i = lf;
          if (text === '') {
            this.state = DONE;
            return i;
          }
          const colon = text.indexOf(':');
          if (colon <= 0 || NOT_FIELD_TEXT.test(text) || !TOKEN.test(text.slice(0, colon))) return -1;
          this.trailers.push(text.slice(0, colon), text.slice(colon + 1).trim());
          break;
        }
        default:
          return i;
      }
    }
    return this.state === DONE ? i : n;
  }

  /**
   * Collects one CRLF-terminated line into `partial` (without the CRLF). Returns the offset after the LF, -1 when
   * the line goes on past `buf`, -2 when it is longer than `max` or ends in a bare LF.
   */
  private line(buf: Buffer, from: number, max: number): number {
    const lf = buf.indexOf(0x0a, from);
    const upTo = lf < 0 ? buf.length : lf;
    this.partial += buf.toString('latin1', from, upTo);
    if (this.partial.length > max) return -2;
    if (lf < 0) return -1;
    if (!this.partial.endsWith('\r')) return -2;
    this.partial = this.partial.slice(0, -1);
    return lf + 1;
  }
}

/** Frames one chunk of a body for a chunked message. */
/**
 * Writes one piece of a body to `socket`, as a chunk when the message is chunked (an empty piece writes nothing:
 * a zero-length chunk would end the body); returns false when the socket wants the writer to pause.
 */
export function writeBodyPiece(socket: Socket, chunk: Buffer, chunked: boolean): boolean {
  if (!chunked) return socket.write(chunk);
  if (chunk.length === 0) return true;
  socket.cork();
  socket.write(chunkHeader(chunk.length), 'latin1');
  socket.write(chunk);
  const ok = socket.write('\r\n', 'latin1');
  socket.uncork();
  return ok;
}

export function chunkHeader(length: number): string {
  return `${length.toString(16)}\r\n`;
}

/** The last chunk and the trailer section. */
export function lastChunk(trailers: readonly string[]): string {
  if (trailers.length === 0) return '0\r\n\r\n';
  let out = '0\r\n';
  for (let i = 0; i + 1 < trailers.length; i += 2) out += `${trailers[i]}: ${trailers[i + 1]}\r\n`;
  return `${out}\r\n`;
}
