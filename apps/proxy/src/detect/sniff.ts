import { isTlsClientHello } from '../tls/client-hello.js';

/** What the first bytes of a connection say it speaks. */
export type Protocol = 'http1' | 'h2' | 'opaque' | 'tls';

/** RFC 9113 §3.4: the client connection preface of HTTP/2 with prior knowledge. */
export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Longest method token looked at; real methods are far shorter. */
const MAX_METHOD_LENGTH = 24;
const SPACE = 0x20;

/**
 * Classifies the first bytes of a connection, or returns undefined when more are needed. HTTP/2 is its preface.
 * HTTP/1.1 is a method token (upper-case letters, `-`, `_`) followed by a space, which is all it takes for a
 * request line that is broken further on to reach the HTTP parser and get its 400. Anything else (TLS, binary
 * database protocols, RESP arrays…) is opaque. A TLS ClientHello is 'tls' once its whole first record is in, so the
 * inbound side can read the server name it asks for; the outbound side treats it as opaque (the app's own TLS).
 */
export function sniff(bytes: Buffer): Protocol | undefined {
  const tls = isTlsClientHello(bytes);
  if (tls !== false) return tls ? 'tls' : undefined;
  const n = Math.min(bytes.length, H2_PREFACE.length);
  if (bytes.compare(H2_PREFACE, 0, n, 0, n) === 0) return bytes.length >= H2_PREFACE.length ? 'h2' : undefined;
  const limit = Math.min(bytes.length, MAX_METHOD_LENGTH + 1);
  for (let i = 0; i < limit; i++) {
    const c = bytes[i]!;
    if (c === SPACE) return i > 0 ? 'http1' : 'opaque';
    if (!isMethodChar(c)) return 'opaque';
  }
  return bytes.length > MAX_METHOD_LENGTH ? 'opaque' : undefined;
}

function isMethodChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x5f; // A-Z - _
}
