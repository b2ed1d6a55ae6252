import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { NOT_FIELD_TEXT } from '../h1/syntax.js';

/** Answers that never carry a body, whatever the upstream's framing says. */
export const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Connection-specific fields are forbidden in HTTP/2 (RFC 9113 §8.2.2); Node refuses to send them, so they are
 * dropped on the way (`te: trailers` is the one exception). `host` is dropped because :authority replaces it.
 */
const FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * A raw flat list (name, value…) without pseudo-headers and connection-specific fields, appended to `out` (a
 * response head passes its :status there).
 */
export function h2Fields(raw: readonly string[], out: string[] = []): string[] {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.startsWith(':')) continue;
    const lower = name.toLowerCase();
    if (FORBIDDEN.has(lower)) continue;
    const value = raw[i + 1] ?? '';
    if (lower === 'te' && value.trim().toLowerCase() !== 'trailers') continue;
    out.push(lower, value);
  }
  return out;
}

/** RFC 9110 §5.6.2 tokens, lower-case only, as HTTP/2 field names must be (RFC 9113 §8.2). */
const H2_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/**
 * Whether a list from h2Fields (after its leading pseudo-headers, if any) can be sent: names lower-case tokens,
 * values free of control characters, as Node's http2 server insists before it encodes an answer. An upstream's
 * head is not trusted to be.
 */
export function sendableFields(fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (!(name.charCodeAt(0) === 0x3a ? H2_NAME.test(name.slice(1)) : H2_NAME.test(name))) return false;
    if (NOT_FIELD_TEXT.test(fields[i + 1] as string)) return false;
  }
  return true;
}

/** Adds a raw flat list to a Node header object (which HTTP/2 takes), repeated names becoming arrays. */
export function toH2Headers(raw: readonly string[], into: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    const existing = into[name];
    if (existing === undefined) into[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else into[name] = [String(existing), value];
  }
  return into;
}

/** A Node header object (HTTP/2 trailers arrive as one) as a raw flat list, pseudo-headers left out. */
export function fromH2Headers(headers: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push(name, v);
    else out.push(name, String(value));
  }
  return out;
}
