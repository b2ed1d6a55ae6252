import { MAX_HEADER_BYTES } from '../http/limits.js';
import { NOT_FIELD_TEXT, TOKEN } from './syntax.js';

/**
 * A strict HTTP/1.1 head parser for the fast path (RFC 9112 §2–5). It accepts only what is unambiguous: token
 * names with no whitespace before the colon, no obsolete line folding, no control characters but HTAB, CRLF
 * line ends, at most MAX_HEADER_BYTES. Anything else is `INVALID`, and the caller decides what that means (the
 * request side hands the connection to Node's lenient-but-checked parser, which answers 400 or 431 as before;
 * the response side fails the exchange with protocol_error).
 */

/** Not a complete head yet: wait for more bytes (or give up once MAX_HEADER_BYTES are buffered). */
export const INCOMPLETE = 0;
/** Not a head this parser accepts. */
export const INVALID = -1;

const TARGET = /^[\x21-\x7e]+$/;
const STATUS = /^[1-9]\d\d$/;

/** What the framing headers say, collected while the head is split into its raw list. */
export interface Framing {
  /** -1 when absent; -2 when present but not one plain decimal value (refused). */
  contentLength: number;
  chunked: boolean;
  /** A Transfer-Encoding other than a lone `chunked` (refused on requests; read-until-close on responses). */
  otherCoding: boolean;
  /** `Connection: close` was sent. */
  close: boolean;
  /** `Connection: keep-alive` was sent (HTTP/1.0 responses). */
  keepAlive: boolean;
  /** Expect or Upgrade was sent: the request needs Node's interim-response or upgrade handling. */
  special: boolean;
  /** The Host header's value, "" when absent. */
  host: string;
}

export interface ParsedHead extends Framing {
  /** Request: method, target, version. Response: version, status, reason. */
  a: string;
  b: string;
  c: string;
  /** Flat raw list (name, value…), names as sent. */
  headers: string[];
  /** Offset just past the blank line that ends the head. */
  end: number;
}

/**
 * Parses the head that starts at `start`. Returns the head, INCOMPLETE, or INVALID (also for a head longer than
 * MAX_HEADER_BYTES, complete or not).
 */
export function parseHead(buf: Buffer, start: number, kind: 'request' | 'response'): ParsedHead | typeof INCOMPLETE | typeof INVALID {
  const stop = buf.indexOf('\r\n\r\n', start, 'latin1');
  if (stop < 0) return buf.length - start > MAX_HEADER_BYTES ? INVALID : INCOMPLETE;
  const end = stop + 4;
  if (end - start > MAX_HEADER_BYTES) return INVALID;
  const lines = buf.toString('latin1', start, stop).split('\r\n');
  const first = lines[0] ?? '';
  if (NOT_FIELD_TEXT.test(first)) return INVALID;
  const s1 = first.indexOf(' ');
  const s2 = first.indexOf(' ', s1 + 1);
  if (s1 <= 0) return INVALID;
  let a: string;
  let b: string;
  let c: string;
  if (kind === 'request') {
    if (s2 < 0 || first.indexOf(' ', s2 + 1) >= 0) return INVALID;
    a = first.slice(0, s1);
    b = first.slice(s1 + 1, s2);
    c = first.slice(s2 + 1);
    if (!TOKEN.test(a) || !TARGET.test(b) || (c !== 'HTTP/1.1' && c !== 'HTTP/1.0')) return INVALID;
  } else {
    a = first.slice(0, s1);
    b = s2 < 0 ? first.slice(s1 + 1) : first.slice(s1 + 1, s2);
    c = s2 < 0 ? '' : first.slice(s2 + 1);
    if ((a !== 'HTTP/1.1' && a !== 'HTTP/1.0') || !STATUS.test(b)) return INVALID;
  }
  const head: ParsedHead = {
    a,
    b,
    c,
    headers: new Array<string>((lines.length - 1) * 2),
    end,
    contentLength: -1,
    chunked: false,
    otherCoding: false,
    close: false,
    keepAlive: false,
    special: false,
    host: '',
  };
  let codings = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0 || NOT_FIELD_TEXT.test(line)) return INVALID;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return INVALID;
    const value = trimOws(line, colon + 1);
    head.headers[(i - 1) * 2] = name;
    head.headers[(i - 1) * 2 + 1] = value;
    if (name.length < 4 || name.length > 17) continue;
    switch (name.toLowerCase()) {
      case 'host':
        head.host = value;
        break;
      case 'content-length':
        head.contentLength = head.contentLength === -1 && /^\d{1,15}$/.test(value) ? Number(value) : -2;
        break;
      case 'transfer-encoding':
        codings += 1;
        if (value.toLowerCase() === 'chunked' && codings === 1) head.chunked = true;
        else head.otherCoding = true;
        break;
      case 'connection':
        for (const token of value.toLowerCase().split(',')) {
          const t = token.trim();
          if (t === 'close') head.close = true;
          else if (t === 'keep-alive') head.keepAlive = true;
          else if (t === 'upgrade') head.special = true;
        }
        break;
      case 'expect':
      case 'upgrade':
        head.special = true;
        break;
    }
  }
  if (head.otherCoding) head.chunked = false;
  return head;
}

/** The value after the colon without leading and trailing spaces and tabs (JavaScript's trim() takes more). */
function trimOws(line: string, from: number): string {
  let i = from;
  let j = line.length;
  while (i < j && isOws(line.charCodeAt(i))) i++;
  while (j > i && isOws(line.charCodeAt(j - 1))) j--;
  return i === from && j === line.length ? line.slice(from) : line.slice(i, j);
}

function isOws(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** What the client-side fast path serves itself; the rest goes to Node's server. */
export function servedFast(head: ParsedHead): boolean {
  return (
    head.c === 'HTTP/1.1' &&
    !head.special &&
    !head.otherCoding &&
    head.contentLength !== -2 &&
    !(head.chunked && head.contentLength >= 0) &&
    head.b.charCodeAt(0) === 0x2f // origin form; absolute form and `*` take the other path
  );
}
