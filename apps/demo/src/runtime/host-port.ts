import { z } from 'zod';

export interface HostPort {
  host: string;
  port: number;
}

// A bracketed IPv6 literal ([::1]) or a host name / IPv4 address without colons, then the port.
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):(\d{1,5})$/;

/** `host:port` from an environment variable; `allowZero` lets listeners ask the kernel for a free port. */
export function hostPortSchema(options: { allowZero: boolean }) {
  const minPort = options.allowZero ? 0 : 1;
  return z.string().transform((value, ctx): HostPort => {
    const match = HOST_PORT.exec(value.trim());
    const port = match ? Number(match[2]) : Number.NaN;
    if (!match || port < minPort || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: `must be host:port with port ${minPort}..65535, got "${value}"` });
      return z.NEVER;
    }
    // net.listen and http.request want the IPv6 literal without brackets.
    return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
