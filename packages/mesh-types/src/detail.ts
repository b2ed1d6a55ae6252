import { z } from 'zod';
import { ConfiguredSource, RouteConfigured, RouteRetryRates, RouteTimeoutRates } from './outbound-views.js';
import { Dns1123Label } from './resources.js';
import { AtParam, LatencyMs, StatsRow, WindowParam } from './stats.js';
import { TopologyEdge, TopologyNode } from './topology.js';

export const WorkloadDetailQuery = z.object({
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export const WorkloadDetailParams = z.object({ namespace: Dns1123Label, name: Dns1123Label });

/** Traffic between the workload and one neighbour, as the calling side's proxy measured it. */
export const NeighbourStats = z.object({
  /** Node id in `graph` (a workload, a service or the unmeshed clients). */
  id: z.string(),
  kind: z.enum(['deployment', 'service', 'unmeshed']),
  namespace: z.string(),
  name: z.string(),
  rps: z.number().nullable(),
  successRate: z.number().nullable(),
  latencyMs: LatencyMs,
  mtlsShare: z.number().nullable(),
  secured: z.boolean(),
  insecureReason: z.string().optional(),
  /** mTLS identities of the two sides; null while the mesh has no identity service. */
  clientId: z.string().nullable(),
  serverId: z.string().nullable(),
});
export type NeighbourStats = z.infer<typeof NeighbourStats>;

export const WorkloadDetailResponse = z.object({
  window: z.string(),
  /** Inbound golden metrics of the workload itself; null rows mean it is not known to Prometheus. */
  workload: StatsRow,
  /** Who calls it: meshed workloads (through its services) and unmeshed clients. */
  upstreams: z.array(NeighbourStats),
  /** Whom it calls: the services it addresses. */
  downstreams: z.array(NeighbourStats),
  pods: z.array(StatsRow),
  /** Each pod's mTLS identity and when its proxy's certificate expires (renewed at 70 % of its life); [] without identity. */
  certificates: z.array(z.object({ pod: z.string(), identity: z.string(), expiresAt: z.string() })).optional(),
  /** The workload and its neighbours as a small graph (the same shapes as /topology). */
  graph: z.object({ nodes: z.array(TopologyNode), edges: z.array(TopologyEdge) }),
});
export type WorkloadDetailResponse = z.infer<typeof WorkloadDetailResponse>;

export const RoutesQuery = z.object({
  namespace: Dns1123Label,
  /** The workload whose inbound routes are listed: the server's view. Give this or `service`. */
  workload: Dns1123Label.optional(),
  /**
   * The service whose routes are listed as its callers saw them (their outbound series: effective and actual, so
   * retries show), beside the servers' own view. Give this or `workload`.
   */
  service: Dns1123Label.optional(),
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export type RoutesQuery = z.infer<typeof RoutesQuery>;

/** A route's golden metrics as one side of the traffic measured them. */
export const RouteSideStats = z.object({
  rps: z.number().nullable(),
  successRate: z.number().nullable(),
  latencyMs: LatencyMs,
});
export type RouteSideStats = z.infer<typeof RouteSideStats>;

export const RouteRow = z.object({
  /** Route name from the route table; "" is the traffic no route matched. */
  route: z.string(),
  rps: z.number().nullable(),
  successRate: z.number().nullable(),
  latencyMs: LatencyMs,
  /** On the wire, retries included (null where no retry metrics exist). */
  actualRps: z.number().nullable(),
  actualSuccessRate: z.number().nullable(),
  /**
   * Whose proxies measured the figures above: `inbound` the servers' (a workload's routes, or a service's route
   * no meshed caller reported), `outbound` the callers' (a service's routes, where retries happen).
   */
  direction: z.enum(['inbound', 'outbound']).optional(),
  /** For a service's routes: the servers' own view of the same route (inbound series); null when they report none. */
  server: RouteSideStats.nullable().optional(),
  /**
   * For a service's routes: the route's timeouts, retry policy and fault injection as configured for its callers
   * (the route of the service's outbound configuration whose name is the row's); null when the configuration is
   * not known (RoutesResponse.configured says why) or names no such route. Absent for a workload's routes.
   */
  configured: RouteConfigured.nullable().optional(),
  /** For a service's routes: what its callers' retries did; null when no retry series name the route. */
  retries: RouteRetryRates.nullable().optional(),
  /** For a service's routes: requests that timed out, by kind; null when no request-status series name the route. */
  timeouts: RouteTimeoutRates.nullable().optional(),
});
export type RouteRow = z.infer<typeof RouteRow>;

export const RoutesResponse = z.object({
  window: z.string(),
  namespace: z.string(),
  /** The workload asked for; "" when a service was. */
  workload: z.string(),
  /** The service asked for, if one was. */
  service: z.string().optional(),
  rows: z.array(RouteRow),
  /** Whether the rows' `configured` policy was known, and why not. */
  configured: ConfiguredSource.optional(),
});
export type RoutesResponse = z.infer<typeof RoutesResponse>;
