import { RouteTable } from '@meshviz/mesh-types';
import { jsonVariable } from '@meshviz/runtime';
import { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { parseAuthority } from './http/authority.js';
import { parseCidr } from './policy/cidr.js';
import { compileRoutes } from './route/route-table.js';

/**
 * Parsers for the structured PROXY_* values (lists, maps, JSON), kept apart from the list of variables in
 * config.ts. Each adds an issue that says what is wrong; the runtime kit's parseEnv prefixes it with the variable's
 * name and adds the value it got (an issue about one item of a list names the item itself).
 */

/**
 * Linkerd's default opaque ports: SMTP, MySQL, Galera, PostgreSQL, Redis, Elasticsearch, Memcached. Their
 * clients wait for the server to speak first, so protocol detection would only delay them.
 */
export const DEFAULT_OPAQUE_PORTS = '25,587,3306,4444,5432,6379,9300,11211';

/** "25,587,3306" or ranges "8000-8010"; "none" for no port (empty variables mean "unset", hence the word). */
export const portList = z.string().transform((value, ctx): ReadonlySet<number> => {
  const ports = new Set<number>();
  if (value.trim() === 'none') return ports;
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    const from = Number(match?.[1]);
    const to = Number(match?.[2] ?? match?.[1]);
    if (!match || from < 1 || to > 65535 || from > to) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ports or ranges, got "${item}"` });
      continue;
    }
    for (let port = from; port <= to; port++) ports.add(port);
  }
  return ports;
});

export interface TcpTarget {
  /** Port the outbound side listens on, on the outbound listen host. */
  readonly port: number;
  /** host:port the connections go to: a service authority from discovery, or any host. */
  readonly authority: string;
}

/** "15432=db.data.svc.cluster.local:5432,16379=cache.data.svc.cluster.local:6379". */
export const tcpTargets = z.string().transform((value, ctx): TcpTarget[] => {
  const targets: TcpTarget[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [rawPort = '', authority = ''] = item.split('=', 2);
    const port = Number(rawPort);
    const parsed = parseAuthority(authority);
    if (!/^\d{1,5}$/.test(rawPort) || port < 1 || port > 65535 || !parsed || parsed.port === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be listenPort=host:port pairs separated by commas, got "${item}"` });
      continue;
    }
    targets.push({ port, authority: authority.toLowerCase() });
  }
  if (new Set(targets.map((t) => t.port)).size !== targets.length) {
    ctx.addIssue({ code: 'custom', message: 'lists a listen port twice' });
  }
  return targets;
});

/** A JSON RouteTable (the local runtime passes the workload's routes this way), whose routes must compile. */
export const routeTableJson = jsonVariable(RouteTable).transform((table, ctx): RouteTable => {
  try {
    compileRoutes(table);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
  return table;
});

export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

/** "<count>/<duration>", e.g. "200/10s". */
export const rateLimit = z.string().transform((value, ctx): RateLimit => {
  const [rawCount = '', rawWindow = ''] = value.split('/', 2);
  const windowMs = parseDurationMs(rawWindow);
  if (!/^[1-9]\d*$/.test(rawCount.trim()) || windowMs === null || windowMs === 0) {
    ctx.addIssue({ code: 'custom', message: 'must be <count>/<duration> such as 200/10s' });
    return { count: 1, windowMs: 1 };
  }
  return { count: Number(rawCount), windowMs };
});

export const positiveInt = z.string().regex(/^[1-9]\d*$/, 'must be a positive integer').transform(Number);

/** Comma-separated items, trimmed, empty ones dropped. */
function items(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "/healthz,/ready": request paths (no query), each starting with "/". */
export const probePaths = z.string().transform((value, ctx): string[] => {
  const paths = items(value);
  for (const path of paths) {
    if (!/^\/[^\s?#]*$/.test(path)) ctx.addIssue({ code: 'custom', message: `must be comma-separated paths starting with "/", got "${path}"` });
  }
  return paths;
});

/** "10.0.0.0/8,fd00::/8": IPv4 and IPv6 CIDRs (a bare address is one host). */
export const cidrList = z.string().transform((value, ctx): string[] => {
  const cidrs = items(value);
  for (const cidr of cidrs) {
    try {
      parseCidr(cidr);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be comma-separated CIDRs: ${(error as Error).message}` });
    }
  }
  if (cidrs.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one CIDR' });
  return cidrs;
});

export interface WorkloadRef {
  readonly namespace: string;
  readonly name: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** "<namespace>/<workload>", both DNS-1123 labels. */
export const workloadRef = z.string().transform((value, ctx): WorkloadRef => {
  const [namespace = '', name = '', extra] = value.split('/');
  if (extra !== undefined || !DNS_LABEL.test(namespace) || !DNS_LABEL.test(name)) {
    ctx.addIssue({ code: 'custom', message: 'must be <namespace>/<workload>, both DNS-1123 labels' });
  }
  return { namespace, name };
});
