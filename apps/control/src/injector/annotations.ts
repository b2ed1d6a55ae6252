import {
  DEFAULT_INTERCEPTION,
  DefaultPolicy,
  INTERCEPTION_ANNOTATIONS,
  type InterceptionSpec,
  parsePortList,
} from '@meshviz/mesh-types';
import { parseCidr } from '@meshviz/policy';

/** The proxy's log levels (as apps/proxy parses PROXY_LOG_LEVEL). */
export const PROXY_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A Kubernetes resource quantity (`100m`, `64Mi`, `0.5`, `1G`). */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;

/** What the `config.meshviz.io/*` annotations ask of one pod (pod annotations over its namespace's). */
export interface PodOverrides {
  interception: InterceptionSpec;
  opaquePorts: number[] | undefined;
  defaultInboundPolicy: DefaultPolicy | undefined;
  logLevel: (typeof PROXY_LOG_LEVELS)[number] | undefined;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}

/** An annotation that does not parse: its name and why. */
export class AnnotationError extends Error {
  constructor(
    readonly annotation: string,
    reason: string,
  ) {
    super(`annotation ${annotation}: ${reason}`);
    this.name = 'AnnotationError';
  }
}

/**
 * Reads the overrides; throws AnnotationError naming the first annotation that does not parse. A pod's annotation
 * wins over its namespace's; skip ports add to the defaults (the proxy's own tap and admin ports stay skipped).
 */
export function readOverrides(pod: Readonly<Record<string, string>>, namespace: Readonly<Record<string, string>>): PodOverrides {
  const value = (key: string): string | undefined => pod[key] ?? namespace[key];
  const ports = (key: string): number[] => {
    const text = value(key);
    if (text === undefined) return [];
    try {
      return parsePortList(text);
    } catch (error) {
      throw new AnnotationError(key, (error as Error).message);
    }
  };
  const A = INTERCEPTION_ANNOTATIONS;
  const cidrs = (value(A.skipOutboundCidrs) ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (typeof parsed === 'string') throw new AnnotationError(A.skipOutboundCidrs, `"${cidr}": ${parsed}`);
  }
  const interception: InterceptionSpec = {
    ...DEFAULT_INTERCEPTION,
    skipInboundPorts: union(DEFAULT_INTERCEPTION.skipInboundPorts, ports(A.skipInboundPorts)),
    skipOutboundPorts: union(DEFAULT_INTERCEPTION.skipOutboundPorts, ports(A.skipOutboundPorts)),
    skipOutboundCidrs: cidrs,
  };
  const policy = value(A.defaultInboundPolicy);
  const parsedPolicy = policy === undefined ? undefined : DefaultPolicy.safeParse(policy);
  if (parsedPolicy && !parsedPolicy.success) {
    throw new AnnotationError(A.defaultInboundPolicy, `"${policy}" is not one of ${DefaultPolicy.options.join(', ')}`);
  }
  const level = value(A.logLevel);
  if (level !== undefined && !(PROXY_LOG_LEVELS as readonly string[]).includes(level)) {
    throw new AnnotationError(A.logLevel, `"${level}" is not one of ${PROXY_LOG_LEVELS.join(', ')}`);
  }
  const quantity = (key: string): string | undefined => {
    const text = value(key);
    if (text !== undefined && !QUANTITY.test(text)) throw new AnnotationError(key, `"${text}" is not a resource quantity such as 100m or 64Mi`);
    return text;
  };
  const requests = compact({ cpu: quantity(A.cpuRequest), memory: quantity(A.memoryRequest) });
  const limits = compact({ cpu: quantity(A.cpuLimit), memory: quantity(A.memoryLimit) });
  const opaque = value(A.opaquePorts);
  return {
    interception,
    opaquePorts: opaque === undefined ? undefined : ports(A.opaquePorts),
    defaultInboundPolicy: parsedPolicy?.data,
    logLevel: level as PodOverrides['logLevel'],
    resources: { requests, limits },
  };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function compact(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => e[1] !== undefined));
}
