import { parseArgs } from 'node:util';
import { DEFAULT_INTERCEPTION, type InterceptionSpec, parsePortList } from '@meshviz/mesh-types';
import { canonicalCidr } from './rules.js';

export type InitMode = 'apply' | 'cleanup' | 'dry-run' | 'help';

export interface InitArgs {
  readonly mode: InitMode;
  readonly spec: InterceptionSpec;
  /** Run iptables inside this named network namespace (`ip netns exec`); undefined: the current one. */
  readonly netns: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: meshviz-proxy-init [options]

Writes the nat rules that pass a pod's TCP traffic through its meshviz proxy (iptables, nft backend).

  --inbound-port <port>          where inbound TCP is redirected (default 4143)
  --outbound-port <port>         where the application's outbound TCP is redirected (default 4140)
  --proxy-uid <uid>              the proxy's user; its own connections are not redirected (default 2102)
  --skip-inbound-ports <list>    ports reaching the application directly (default 4190,4191)
  --skip-outbound-ports <list>   destination ports leaving the pod directly, e.g. 5432,6000-6010
  --skip-outbound-cidrs <list>   destination IPv4 CIDRs leaving the pod directly, e.g. 10.0.0.1/32
  --netns <name>                 apply inside this named network namespace (ip netns exec)
  --dry-run                      print the iptables-restore input instead of applying it
  --cleanup                      remove meshviz's chains and the jumps into them, nothing else
  --help                         this text
`;

const OPTIONS = {
  'inbound-port': { type: 'string' },
  'outbound-port': { type: 'string' },
  'proxy-uid': { type: 'string' },
  'skip-inbound-ports': { type: 'string' },
  'skip-outbound-ports': { type: 'string' },
  'skip-outbound-cidrs': { type: 'string' },
  netns: { type: 'string' },
  'dry-run': { type: 'boolean' },
  cleanup: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Parses the command line; throws UsageError naming the flag that is wrong. */
export function parseInitArgs(argv: readonly string[]): InitArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: keyof typeof OPTIONS): string | undefined => values[name] as string | undefined;
  if (values['dry-run'] && values.cleanup) throw new UsageError('--dry-run and --cleanup cannot be used together');
  const mode: InitMode = values.help ? 'help' : values.cleanup ? 'cleanup' : values['dry-run'] ? 'dry-run' : 'apply';
  const spec: InterceptionSpec = {
    inboundPort: flag('--inbound-port', text('inbound-port'), port) ?? DEFAULT_INTERCEPTION.inboundPort,
    outboundPort: flag('--outbound-port', text('outbound-port'), port) ?? DEFAULT_INTERCEPTION.outboundPort,
    proxyUid: flag('--proxy-uid', text('proxy-uid'), uid) ?? DEFAULT_INTERCEPTION.proxyUid,
    skipInboundPorts: flag('--skip-inbound-ports', text('skip-inbound-ports'), parsePortList) ?? [...DEFAULT_INTERCEPTION.skipInboundPorts],
    skipOutboundPorts: flag('--skip-outbound-ports', text('skip-outbound-ports'), parsePortList) ?? [...DEFAULT_INTERCEPTION.skipOutboundPorts],
    skipOutboundCidrs: flag('--skip-outbound-cidrs', text('skip-outbound-cidrs'), cidrs) ?? [...DEFAULT_INTERCEPTION.skipOutboundCidrs],
  };
  if (spec.inboundPort === spec.outboundPort) throw new UsageError(`--inbound-port and --outbound-port are both ${spec.inboundPort}`);
  const netns = text('netns');
  if (netns !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(netns)) throw new UsageError(`--netns: "${netns}" is not a namespace name`);
  return { mode, spec, netns };
}

function flag<T>(name: string, value: string | undefined, parse: (value: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(value);
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
}

function port(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new Error(`"${value}" is not a port (1..65535)`);
  return n;
}

function uid(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n <= 4294967294)) throw new Error(`"${value}" is not a numeric user id`);
  return n;
}

function cidrs(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(canonicalCidr);
}
