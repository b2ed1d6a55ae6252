/**
 * Transparent interception: the rules a pod's init step writes so that its application's traffic passes through
 * the sidecar without the application knowing. One description serves both runtimes: the Kubernetes injector
 * puts these arguments on the pod's init container, and the local runtime applies the same rules inside each
 * pod's network namespace with the same program (`meshviz-proxy-init`).
 */

/** The sidecar's well-known ports inside a pod. */
export const PROXY_PORTS = {
  /** Inbound traffic to the pod is redirected here. */
  inbound: 4143,
  /** Outbound traffic from the application is redirected here. */
  outbound: 4140,
  admin: 4191,
  tap: 4190,
} as const;

/**
 * The proxy's container in a Kubernetes pod (a native sidecar) and the names of its ports, as the injector writes
 * them: Prometheus keeps the pods whose proxy container has the admin port, the API taps the tap port.
 */
export const PROXY_CONTAINER_NAME = 'meshviz-proxy';
export const PROXY_PORT_NAMES = {
  inbound: 'proxy-inbound',
  admin: 'admin-http',
  tap: 'tap',
} as const;

/** The user the proxy runs as; its own connections are never redirected (that would loop them into itself). */
export const PROXY_UID = 2102;

/** Ports never redirected unless the user says otherwise: inbound the proxy's own tap and admin ports. */
export const DEFAULT_SKIP_INBOUND_PORTS: readonly number[] = [PROXY_PORTS.tap, PROXY_PORTS.admin];
/** Outbound ports left alone by default (none: the user adds e.g. a database's port). */
export const DEFAULT_SKIP_OUTBOUND_PORTS: readonly number[] = [];

/** The iptables chains the init step owns; it creates, flushes and removes only these. */
export const INTERCEPTION_CHAINS = {
  /** nat PREROUTING → here: redirects inbound TCP to `inboundPort`. */
  inbound: 'MESHVIZ_INBOUND',
  /** nat OUTPUT → here: redirects the application's outbound TCP to `outboundPort`. */
  outbound: 'MESHVIZ_OUTPUT',
} as const;

/** What the init step needs to know; everything else is fixed above. */
export interface InterceptionSpec {
  inboundPort: number;
  outboundPort: number;
  proxyUid: number;
  /** Inbound destination ports that reach the application directly. */
  skipInboundPorts: number[];
  /** Outbound destination ports that leave the pod directly. */
  skipOutboundPorts: number[];
  /** Outbound destination CIDRs that leave the pod directly (e.g. the node's address for probes). */
  skipOutboundCidrs: string[];
}

export const DEFAULT_INTERCEPTION: InterceptionSpec = {
  inboundPort: PROXY_PORTS.inbound,
  outboundPort: PROXY_PORTS.outbound,
  proxyUid: PROXY_UID,
  skipInboundPorts: [...DEFAULT_SKIP_INBOUND_PORTS],
  skipOutboundPorts: [...DEFAULT_SKIP_OUTBOUND_PORTS],
  skipOutboundCidrs: [],
};

/**
 * Pod or namespace annotations that change a pod's interception (and its proxy), as the injector reads them.
 * Port lists are comma-separated ports or ranges (`4567,5000-5010`).
 */
export const INTERCEPTION_ANNOTATIONS = {
  inject: 'meshviz.io/inject',
  skipInboundPorts: 'config.meshviz.io/skip-inbound-ports',
  skipOutboundPorts: 'config.meshviz.io/skip-outbound-ports',
  skipOutboundCidrs: 'config.meshviz.io/skip-outbound-cidrs',
  opaquePorts: 'config.meshviz.io/opaque-ports',
  defaultInboundPolicy: 'config.meshviz.io/default-inbound-policy',
  logLevel: 'config.meshviz.io/proxy-log-level',
  cpuRequest: 'config.meshviz.io/proxy-cpu-request',
  cpuLimit: 'config.meshviz.io/proxy-cpu-limit',
  memoryRequest: 'config.meshviz.io/proxy-memory-request',
  memoryLimit: 'config.meshviz.io/proxy-memory-limit',
} as const;

/** Parses a port list annotation (`"4567, 5000-5002"`); throws naming the bad part. */
export function parsePortList(value: string): number[] {
  const ports = new Set<number>();
  for (const raw of value.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const lo = m ? Number(m[1]) : Number.NaN;
    const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
    if (!m || lo < 1 || hi > 65535 || hi < lo) {
      throw new Error(`"${part}" is not a port (1..65535) or a range of ports such as 5000-5010`);
    }
    for (let p = lo; p <= hi; p++) ports.add(p);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The init program's command line for a spec (what the injector writes and the local runtime runs). */
export function interceptionArgs(spec: InterceptionSpec): string[] {
  const args = ['--inbound-port', String(spec.inboundPort), '--outbound-port', String(spec.outboundPort), '--proxy-uid', String(spec.proxyUid)];
  if (spec.skipInboundPorts.length > 0) args.push('--skip-inbound-ports', spec.skipInboundPorts.join(','));
  if (spec.skipOutboundPorts.length > 0) args.push('--skip-outbound-ports', spec.skipOutboundPorts.join(','));
  if (spec.skipOutboundCidrs.length > 0) args.push('--skip-outbound-cidrs', spec.skipOutboundCidrs.join(','));
  return args;
}
