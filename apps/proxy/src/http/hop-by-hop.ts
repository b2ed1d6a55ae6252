/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection, not the message, so a proxy must not forward them.
 * Node frames bodies itself (chunked or content-length), which is why Transfer-Encoding is dropped too; Upgrade is
 * dropped until the proxy can carry upgraded (opaque) connections.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
]);

const NONE_LISTED: ReadonlySet<string> = new Set();

/** The lengths of the names above. */
const MAYBE_HOP = new Set([...HOP_BY_HOP].map((name) => name.length));

/**
 * Names listed in Connection headers: the sender marks them hop-by-hop for this one connection. Names that are
 * hop-by-hop anyway are left out, so the commonest value, `keep-alive`, lists nothing and costs nothing.
 */
function connectionListed(raw: readonly string[]): ReadonlySet<string> {
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    const value = raw[i + 1] ?? '';
    for (const token of value.includes(',') ? value.split(',') : [value]) {
      const name = token.trim().toLowerCase();
      if (!name || HOP_BY_HOP.has(name)) continue;
      listed ??= new Set<string>();
      listed.add(name);
    }
  }
  return listed ?? NONE_LISTED;
}

/**
 * Copies a raw header list without its hop-by-hop fields. For requests, `TE: trailers` survives even when
 * Connection names TE (as RFC 9110 asks senders to do), because accepting trailers matters end to end (gRPC
 * needs it); and a chunked request keeps a bare `Transfer-Encoding: chunked` so Node re-frames the streamed body
 * instead of sending it with no framing.
 */
export function stripHopByHop(raw: readonly string[], direction: 'request' | 'response'): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  let acceptsTrailers = false;
  let chunked = false;
  const anyListed = listed.size > 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    // A field whose name is no hop-by-hop name's length is kept without lower-casing it.
    if (!anyListed && !MAYBE_HOP.has(name.length)) {
      out.push(name, value);
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'te') acceptsTrailers ||= value.split(',').some((t) => t.trim().toLowerCase() === 'trailers');
    if (lower === 'transfer-encoding') chunked = true;
    if (HOP_BY_HOP.has(lower) || listed.has(lower)) continue;
    out.push(name, value);
  }
  if (direction === 'request') {
    if (acceptsTrailers) out.push('te', 'trailers');
    if (chunked) out.push('transfer-encoding', 'chunked');
  }
  return out;
}

/**
 * Headers of an Upgrade request or of its 101 answer: hop-by-hop fields are dropped as usual, then the upgrade
 * itself is declared again for the next hop (`Connection: Upgrade` and the protocol asked for or granted).
 */
export function upgradeHeaders(raw: readonly string[], direction: 'request' | 'response'): string[] {
  let protocol: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'upgrade') protocol = raw[i + 1];
  }
  const out = stripHopByHop(raw, direction);
  if (protocol !== undefined) out.push('Connection', 'Upgrade', 'Upgrade', protocol);
  return out;
}
