import { z } from 'zod';
import { DefaultPolicy } from './policy.js';
import { Dns1123Label } from './resources.js';

/**
 * The mesh file (YAML) that `meshviz up` reads: namespaces, workloads, replicas and the behaviour of each route
 * of the demo services, plus the load that drives them.
 */

/** `service.namespace` of a workload in the mesh file. */
const ServiceRef = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'must be "<service>.<namespace>"');

export const DownstreamCall = z.object({
  service: ServiceRef,
  path: z.string().startsWith('/'),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).default('GET'),
});
export type DownstreamCall = z.infer<typeof DownstreamCall>;

export const RouteBehaviour = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).default('GET'),
  path: z.string().startsWith('/'),
  /** Base service time in milliseconds. */
  latencyMs: z.number().nonnegative().default(2),
  /** Share 0..1 of requests answered with `failStatus`; spread evenly (every 1/share-th request), not at random. */
  failShare: z.number().min(0).max(1).default(0),
  failStatus: z.number().int().min(400).max(599).default(500),
  /** Share 0..1 of requests that take `slowMs` instead of `latencyMs`, spread evenly. */
  slowShare: z.number().min(0).max(1).default(0),
  slowMs: z.number().nonnegative().default(250),
  /** Retries the calling proxies may make for this route (idempotent methods only). */
  retries: z.number().int().min(1).max(5).optional(),
  /** Calls made, in order, through the outbound proxy before answering; a 5xx from one makes this route answer 502. */
  calls: z.array(DownstreamCall).default([]),
});
export type RouteBehaviour = z.infer<typeof RouteBehaviour>;

/**
 * How one replica behaves apart from the others: its routes take these values instead (e.g. one replica of a
 * service that fails now and then, so retries and the circuit breaker have work to show).
 */
export const ReplicaOverride = z
  .object({
    replica: z.number().int().min(0),
    latencyMs: z.number().nonnegative().optional(),
    failShare: z.number().min(0).max(1).optional(),
    failStatus: z.number().int().min(400).max(599).optional(),
    slowShare: z.number().min(0).max(1).optional(),
    slowMs: z.number().nonnegative().optional(),
  })
  .strict();
export type ReplicaOverride = z.infer<typeof ReplicaOverride>;

/** How the runtime tells a replica is ready: an HTTP GET answered 2xx/3xx, or a TCP connection accepted. */
export const Readiness = z.union([
  z.object({ httpGet: z.object({ path: z.string().startsWith('/') }).strict() }).strict(),
  z.object({ tcpSocket: z.object({}).strict() }).strict(),
], { error: 'must be { httpGet: { path: /… } } or { tcpSocket: {} }' });
export type Readiness = z.infer<typeof Readiness>;

/** An environment variable name, as a shell accepts it. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

export const Workload = z.object({
  name: Dns1123Label,
  /**
   * The program each replica runs (argv, no shell), instead of the bundled demo service. `$(VAR)` in an argument is
   * replaced by that variable of the replica's environment, as Kubernetes does (e.g. `$(PORT)`).
   */
  command: z.array(z.string().min(1)).min(1).optional(),
  /** Environment of the program, added to the runtime's (PORT is always set to the port it must listen on). */
  env: z.record(EnvName, z.string()).default({}),
  /** Working directory of the program, relative to the mesh file. */
  cwd: z.string().min(1).optional(),
  /**
   * The port the program serves, which makes the workload a service callers reach (the demo service's default is
   * 8080). A program without one only calls others (a client): no service, ready once started.
   */
  port: z.number().int().min(1).max(65535).optional(),
  /** Readiness probe; default an HTTP GET of /healthz for the demo service, a TCP connection for a command. */
  readiness: Readiness.optional(),
  /** The service account its pods run as, which names their mTLS identity; defaults to the workload's name. */
  serviceAccount: Dns1123Label.optional(),
  replicas: z.number().int().min(1).max(10).default(1),
  /** Pod labels, which Servers' podSelectors match; `app: <name>` is always among them. */
  labels: z.record(z.string(), z.string()).default({}),
  /** Inbound policy of ports no Server covers, for this workload's pods (over the namespace's and the mesh's). */
  defaultInboundPolicy: DefaultPolicy.optional(),
  /** Paths the platform probes (liveness, readiness): authorized automatically unless a route covers them. */
  probePaths: z.array(z.string().startsWith('/')).default(['/healthz']),
  /**
   * The demo service's routes and their behaviour (at least one without `command`); with `command`, the route
   * table callers' metrics are named by (the behaviour fields are not used).
   */
  routes: z.array(RouteBehaviour).default([]),
  /** Replicas that behave apart from the others (their index counts from 0). */
  replicaOverrides: z.array(ReplicaOverride).default([]),
}).superRefine((w, ctx) => {
  if (!w.command && w.routes.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['routes'], message: 'the demo service needs at least one route (or give the workload a command)' });
  }
  if (w.command && w.port === undefined && w.readiness !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['readiness'], message: 'a readiness probe needs the port the program serves (port)' });
  }
  if (!w.command) {
    for (const key of ['env', 'cwd', 'readiness'] as const) {
      const set = key === 'env' ? Object.keys(w.env).length > 0 : w[key] !== undefined;
      if (set) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is for a workload with a command (the demo service sets its own)` });
    }
  }
});
export type Workload = z.infer<typeof Workload>;

export const Namespace = z.object({
  name: Dns1123Label,
  /** Inbound policy of ports no Server covers, for this namespace's workloads (over the mesh's). */
  defaultInboundPolicy: DefaultPolicy.optional(),
  workloads: z.array(Workload).min(1),
});

export const LoadTarget = z.object({
  service: ServiceRef,
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).default('GET'),
  path: z.string().startsWith('/'),
  weight: z.number().int().min(1).default(1),
});
export type LoadTarget = z.infer<typeof LoadTarget>;

export const Load = z.object({
  /** Where the load generator runs (it gets its own proxy, like any meshed client). */
  namespace: Dns1123Label.default('traffic'),
  name: Dns1123Label.default('loadgen'),
  /** Requests per second, steady. */
  rate: z.number().positive().max(5000).default(20),
  targets: z.array(LoadTarget).min(1),
});
export type Load = z.infer<typeof Load>;

/** A client outside the demo's call graph that keeps calling one route (e.g. a scraper that policy refuses). */
export const ExtraClient = z.object({
  namespace: Dns1123Label,
  name: Dns1123Label,
  serviceAccount: Dns1123Label.optional(),
  rate: z.number().positive().max(1000).default(2),
  targets: z.array(LoadTarget).min(1),
});
export type ExtraClient = z.infer<typeof ExtraClient>;

export const MeshPolicy = z.object({
  /** Mesh-wide inbound policy of ports no Server covers. */
  defaultInboundPolicy: DefaultPolicy.default('all-unauthenticated'),
  /** What "cluster-*" policies count as the cluster's networks (CIDRs); default: private ranges and loopback. */
  clusterNetworks: z.array(z.string()).optional(),
  /** Directory of policy resources (YAML), relative to the mesh file; watched while the mesh runs. */
  dir: z.string().default('policy'),
});
export type MeshPolicy = z.infer<typeof MeshPolicy>;

export const MeshFile = z.object({
  namespaces: z.array(Namespace).min(1),
  load: Load.optional(),
  /** More load generators, each with its own identity (service account) and proxy. */
  clients: z.array(ExtraClient).default([]),
  policy: MeshPolicy.default({ defaultInboundPolicy: 'all-unauthenticated', dir: 'policy' }),
});
export type MeshFile = z.infer<typeof MeshFile>;
