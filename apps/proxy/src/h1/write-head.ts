import { ProxyError } from '../errors/proxy-error.js';
import { NOT_FIELD_TEXT, TOKEN } from './syntax.js';


/**
 * Serialises a head: the first line as given, then each field of the flat list. Names must be tokens and values
 * free of control characters, as Node's own writer insists; a header the fast parser let through always is,
 * one from elsewhere (the lenient fallback parser, an upstream) may not be, and fails with protocol_error.
 */
export function writableHead(firstLine: string, headers: readonly string[]): string {
  let head = firstLine;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    if (!TOKEN.test(name) || NOT_FIELD_TEXT.test(value)) {
      throw new ProxyError('protocol_error', { message: `header ${JSON.stringify(name)} cannot be written` });
    }
    head += `${name}: ${value}\r\n`;
  }
  return head;
}

/** A status line's reason phrase or a request target must not break the line either. */
export function writableText(text: string): boolean {
  return !NOT_FIELD_TEXT.test(text);
}

/** Whether a header list frames its body with Content-Length (else an answer is sent chunked). */
export function hasLength(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return true;
  }
  return false;
}
