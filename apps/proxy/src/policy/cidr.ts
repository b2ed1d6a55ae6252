/**
 * Client addresses and networks for authorization. Every address is held as 128 bits in four 32-bit words, IPv4
 * as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so one comparison covers both families and a dual-stack socket's
 * `::ffff:10.1.2.3` matches 10.0.0.0/8. (Hence ::/0 covers IPv4 clients too.) Parsing reads character codes in
 * place: matching a request's peer allocates nothing.
 */

export interface Cidr {
  /** The network's bits, host bits cleared. */
  readonly net: Uint32Array;
  readonly mask: Uint32Array;
  /** As given, for messages. */
  readonly text: string;
}

const groups = new Uint16Array(8);

/** Parses dotted IPv4 in text[start, end) to an unsigned 32-bit number, or -1. Leading zeros are refused. */
function parseV4(text: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      dots += 1;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      digits += 1;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 (with `::`, an embedded IPv4 tail and a zone, which is ignored) into `out`; false when invalid. */
function parseV6(text: string, start: number, end: number, out: Uint32Array): boolean {
  const zone = text.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  let n = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let j = i;
    let value = 0;
    while (j < end) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      value = value * 16 + h;
      j += 1;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      const v4 = parseV4(text, i, end);
      if (v4 < 0 || n > 6) return false;
      groups[n++] = Math.floor(v4 / 65536);
      groups[n++] = v4 % 65536;
      i = end;
      break;
    }
    if (j === i || j - i > 4 || n === 8) return false;
    groups[n++] = value;
    if (j === end) {
      i = j;
      break;
    }
    if (text.charCodeAt(j) !== 58) return false;
    j += 1;
    if (j < end && text.charCodeAt(j) === 58) {
      if (gap >= 0) return false;
      gap = n;
      j += 1;
    } else if (j === end) {
      return false;
    }
    i = j;
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  const fill = 8 - n;
  for (let w = 0; w < 4; w++) {
    const hi = groupAt(2 * w, gap, fill);
    const lo = groupAt(2 * w + 1, gap, fill);
    out[w] = (hi * 65536 + lo) >>> 0;
  }
  return true;
}

function groupAt(k: number, gap: number, fill: number): number {
  if (gap < 0 || k < gap) return groups[k]!;
  if (k < gap + fill) return 0;
  return groups[k - fill]!;
}

/** Parses an IPv4 or IPv6 address in text[start, end) into `out` (four words); false when it is not one. */
export function parseAddress(text: string, out: Uint32Array, start = 0, end = text.length): boolean {
  if (text.charCodeAt(start) === 91 && text.charCodeAt(end - 1) === 93) {
    start += 1;
    end -= 1;
  }
  const colon = text.indexOf(':', start);
  if (colon >= 0 && colon < end) return parseV6(text, start, end, out);
  const v4 = parseV4(text, start, end);
  if (v4 < 0) return false;
  out[0] = 0;
  out[1] = 0;
  out[2] = 0xffff;
  out[3] = v4 >>> 0;
  return true;
}

/**
 * Parses the host of a `host:port` peer (as the accept stage writes it: no brackets around IPv6) into `out`.
 * False when the host is not an address.
 */
export function parsePeerAddress(peer: string, out: Uint32Array): boolean {
  const colon = peer.lastIndexOf(':');
  if (colon <= 0) return false;
  return parseAddress(peer, out, 0, colon);
}

/**
 * Parses `a.b.c.d/n`, `x::y/n`, or a bare address (one host). Host bits set in the address are cleared. Throws an
 * Error saying what is wrong.
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  const net = new Uint32Array(4);
  if (!parseAddress(text, net, 0, end)) throw new Error(`"${text}" is not a CIDR: "${text.slice(0, end)}" is not an IP address`);
  const v4 = text.indexOf(':') < 0;
  const width = v4 ? 32 : 128;
  let prefix = width;
  if (slash >= 0) {
    const rawPrefix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(rawPrefix) || Number(rawPrefix) > width) {
      throw new Error(`"${text}" is not a CIDR: the prefix length must be 0-${width}`);
    }
    prefix = Number(rawPrefix);
  }
  const bits = v4 ? 96 + prefix : prefix;
  const mask = new Uint32Array(4);
  for (let w = 0; w < 4; w++) {
    const inWord = Math.max(0, Math.min(32, bits - 32 * w));
    mask[w] = inWord === 0 ? 0 : (0xffffffff << (32 - inWord)) >>> 0;
    net[w] = (net[w]! & mask[w]!) >>> 0;
  }
  return { net, mask, text };
}

export function inCidr(cidr: Cidr, address: Uint32Array): boolean {
  const { net, mask } = cidr;
  for (let w = 0; w < 4; w++) {
    if ((address[w]! & mask[w]!) >>> 0 !== net[w]) return false;
  }
  return true;
}

/** A network and the ranges inside it that are left out. */
export interface Network {
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
}

export function inNetworks(networks: readonly Network[], address: Uint32Array): boolean {
  for (const network of networks) {
    if (!inCidr(network.cidr, address)) continue;
    let excepted = false;
    for (const except of network.except) {
      if (inCidr(except, address)) {
        excepted = true;
        break;
      }
    }
    if (!excepted) return true;
  }
  return false;
}
