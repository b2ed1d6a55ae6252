/**
 * The checks RFC 9113 §8.2–§8.3 puts on a request's header list, as Node's HTTP/2 server (nghttp2) makes them: a
 * request that fails one is malformed and its stream is reset with PROTOCOL_ERROR before the proxy's stack sees it.
 */

/** What the server stage reads from a valid request head, taken in the same pass as the checks. */
export interface RequestHead {
  method: string;
  path: string;
  /** :authority, else Host, else "". */
  authority: string;
  contentType: string;
  /** Content-Length the client announced, -1 without one. */
  contentLength: number;
}

/** Lower-case token characters (RFC 9110 §5.6.2): upper case is malformed in HTTP/2 (RFC 9113 §8.2.1). */
const NAME_CHARS = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") NAME_CHARS[c.charCodeAt(0)] = 1;

/** Connection-specific fields are malformed in HTTP/2 (§8.2.2); `te` is allowed only as "trailers". */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function validName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || NAME_CHARS[c] === 0) return false;
  }
  return true;
}

/** No NUL, CR or LF anywhere, and no whitespace at either end (§8.2.1). */
function validValue(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d) return false;
  }
  return true;
}

/** A request head from a decoded header list (name, value, …), or undefined when the request is malformed. */
export function requestHead(fields: readonly string[]): RequestHead | undefined {
  let method: string | undefined;
  let path: string | undefined;
  let scheme: string | undefined;
  let authority: string | undefined;
  let host: string | undefined;
  let contentType = '';
  let contentLength = -1;
  let regular = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    if (!validValue(value)) return undefined;
    if (name.charCodeAt(0) === 0x3a) {
      // Pseudo-headers come first, once each, and only the four a request has (§8.3).
      if (regular) return undefined;
      if (name === ':method' && method === undefined) method = value;
      else if (name === ':path' && path === undefined) path = value;
      else if (name === ':scheme' && scheme === undefined) scheme = value;
      else if (name === ':authority' && authority === undefined) authority = value;
      else return undefined;
      continue;
    }
    regular = true;
    if (!validName(name) || CONNECTION_SPECIFIC.has(name)) return undefined;
    if (name === 'te' && value !== 'trailers') return undefined;
    if (name === 'content-length') {
      if (!/^[0-9]{1,15}$/.test(value)) return undefined;
      const length = Number(value);
      if (contentLength >= 0 && contentLength !== length) return undefined;
      contentLength = length;
    } else if (name === 'content-type') contentType = value;
    else if (name === 'host' && host === undefined) host = value;
  }
  if (method === undefined || method === '') return undefined;
  if (method === 'CONNECT') {
    if (authority === undefined || path !== undefined || scheme !== undefined) return undefined;
  } else {
    if (scheme === undefined || scheme === '' || path === undefined) return undefined;
    // Origin form, or `*` for OPTIONS (§8.3.1).
    if (path.charCodeAt(0) !== 0x2f && !(path === '*' && method === 'OPTIONS')) return undefined;
  }
  return { method, path: path ?? '/', authority: authority ?? host ?? '', contentType, contentLength };
}

/** Trailers carry no pseudo-headers and follow the same field rules. */
export function validTrailers(fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (!validName(name) || CONNECTION_SPECIFIC.has(name) || !validValue(fields[i + 1] as string)) return false;
  }
  return true;
}
