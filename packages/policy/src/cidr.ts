import { isIPv4, isIPv6 } from 'node:net';

/** A parsed CIDR: the address as bytes (4 or 16) and the prefix length. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly bytes: readonly number[];
  readonly prefix: number;
}

function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

function ipv6Bytes(text: string): number[] {
  // A trailing dotted quad (::ffff:10.0.0.1) stands for the last two groups.
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    tail.push(...ipv4Bytes(body.slice(lastColon + 1)));
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = body.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * Parses `address/prefix` (IPv4 or IPv6). Returns the reason as a string when the text is not a CIDR, or when bits
 * past the prefix are set (a typo more often than not: `10.0.0.1/8` was meant as one address or as `10.0.0.0/8`).
 */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return 'must be a CIDR such as 10.0.0.0/8 or fd00::/8 (add /32 or /128 for one address)';
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined) return `"${address}" is not an IPv4 or IPv6 address`;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `prefix "/${prefixText}" must be 0 to ${max}`;
  const prefix = Number(prefixText);
  const bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  const cidr: Cidr = { family, bytes, prefix };
  const network = networkOf(cidr);
  if (network.some((b, i) => b !== bytes[i])) {
    return `has bits set past its /${prefix} prefix: the network is ${formatAddress(family, network)}/${prefix}`;
  }
  return cidr;
}

function networkOf(cidr: Cidr): number[] {
  return cidr.bytes.map((b, i) => {
    const bits = Math.min(8, Math.max(0, cidr.prefix - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

function formatAddress(family: 4 | 6, bytes: readonly number[]): string {
  if (family === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // Shorten the longest run of zero groups, as IPv6 text usually is.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** True when `inner` lies wholly inside `outer` (same family, longer or equal prefix, same leading bits). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const a = networkOf(outer);
  const b = networkOf({ ...inner, prefix: outer.prefix });
  return a.every((byte, i) => byte === b[i]);
}
