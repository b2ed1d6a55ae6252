import { z } from 'zod';

/** A socket address as written in configuration and discovery: `host:port`, IPv6 hosts in brackets. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+):(\d{1,5})$/;

/** Parses `host:port`; port 0 is allowed so tests and callers can ask the OS for a free port. */
export function parseHostPort(text: string): HostPort | null {
  const match = HOST_PORT.exec(text.trim());
  if (!match) return null;
  const [, rawHost = '', rawPort = ''] = match;
  const port = Number(rawPort);
  if (port > 65535) return null;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A `host:port` environment variable, as a zod schema giving a HostPort (IPv6 literals unbracketed, as net.listen
 * and http.request want them); `allowZero` lets listeners ask the kernel for a free port. parseEnv adds the value.
 */
export function hostPortVariable(options: { allowZero: boolean }) {
  const minPort = options.allowZero ? 0 : 1;
  return z.string().transform((value, ctx): HostPort => {
    const parsed = parseHostPort(value);
    if (!parsed || parsed.port < minPort) {
      ctx.addIssue({ code: 'custom', message: `must be host:port with port ${minPort}..65535` });
      return z.NEVER;
    }
    return parsed;
  });
}
