import type { Socket } from 'node:net';
import type { HostPort } from '@meshviz/runtime';

/**
 * The address a connection was sent to before iptables REDIRECT brought it to this proxy (Linux netfilter's
 * SO_ORIGINAL_DST). Node has no API for it, so libc's getsockopt is called on the socket's file descriptor through
 * koffi, a foreign function interface that ships prebuilt binaries (nothing is compiled at install).
 * Returns undefined for a connection that was not redirected (no NAT entry, or the entry's destination is the
 * socket's own local address: the client dialled this port itself).
 */
export type OriginalDstReader = (socket: Socket) => HostPort | undefined;

// <linux/in.h>, <linux/in6.h>, <linux/netfilter_ipv4.h>, <linux/netfilter_ipv6/ip6_tables.h>.
const SOL_IP = 0;
const SOL_IPV6 = 41;
const SO_ORIGINAL_DST = 80;
const IP6T_SO_ORIGINAL_DST = 80;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCKADDR_IN6_SIZE = 28;

type GetSockOpt = (fd: number, level: number, name: number, value: Buffer, length: number[]) => number;

/** Loads libc's getsockopt; throws saying why transparent mode cannot work here (not Linux, no koffi). */
export async function loadOriginalDst(): Promise<OriginalDstReader> {
  if (process.platform !== 'linux') throw new Error(`transparent interception needs Linux (SO_ORIGINAL_DST), this is ${process.platform}`);
  let getsockopt: GetSockOpt;
  try {
    const koffi = (await import('koffi')).default;
    const libc = koffi.load('libc.so.6');
    getsockopt = libc.func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *length)') as GetSockOpt;
  } catch (error) {
    throw new Error(`cannot load libc's getsockopt through koffi: ${(error as Error).message}`, { cause: error });
  }
  return (socket) => {
    const fd = socketFd(socket);
    if (fd === undefined) return undefined;
    const local = socket.localAddress ?? '';
    // IPv4 (also an IPv4 client on a dual-stack listener, seen as ::ffff:a.b.c.d) asks the IPv4 NAT table.
    const v6 = socket.localFamily === 'IPv6' && !local.startsWith('::ffff:');
    const value = Buffer.alloc(SOCKADDR_IN6_SIZE);
    const length = [value.length];
    if (getsockopt(fd, v6 ? SOL_IPV6 : SOL_IP, v6 ? IP6T_SO_ORIGINAL_DST : SO_ORIGINAL_DST, value, length) !== 0) return undefined;
    const original = parseSockaddr(value);
    if (!original) return undefined;
    const localHost = local.startsWith('::ffff:') ? local.slice(7) : local;
    if (original.host === localHost && original.port === socket.localPort) return undefined;
    return original;
  };
}

/** A sockaddr_in or sockaddr_in6 as getsockopt fills it (family in host order, port in network order). */
export function parseSockaddr(value: Buffer): HostPort | undefined {
  const family = value.readUInt16LE(0);
  const port = value.readUInt16BE(2);
  if (family === AF_INET) return { host: [...value.subarray(4, 8)].join('.'), port };
  if (family === AF_INET6) {
    const groups: string[] = [];
    for (let i = 8; i < 24; i += 2) groups.push(value.readUInt16BE(i).toString(16));
    // The URL parser prints an IPv6 address in its canonical short form, as Node prints socket addresses.
    const host = new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
    return { host, port };
  }
  return undefined;
}

/** The descriptor behind a Node socket; Node keeps it on the internal TCP handle (Unix only). */
function socketFd(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
