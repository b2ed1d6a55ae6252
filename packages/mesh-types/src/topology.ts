import { z } from 'zod';
import { ConfiguredSource } from './outbound-views.js';
import { AsOf, AtParam, LatencyMs, NamespaceParam, WindowParam } from './stats.js';

export const TopologyQuery = z.object({
  namespace: NamespaceParam.default('all'),
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export type TopologyQuery = z.infer<typeof TopologyQuery>;

export const HEALTH = ['healthy', 'degraded', 'failing', 'idle'] as const;
export const Health = z.enum(HEALTH);
export type Health = z.infer<typeof Health>;

/** Success-rate thresholds for health: at least `healthy` is healthy, at least `degraded` is degraded, else failing. */
export const HealthThresholds = z.object({ healthy: z.number(), degraded: z.number() });
export type HealthThresholds = z.infer<typeof HealthThresholds>;
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { healthy: 0.99, degraded: 0.95 };

export const TOPOLOGY_NODE_KINDS = ['namespace', 'deployment', 'service', 'unmeshed'] as const;

const Measured = z.number().nullable();

/**
 * A node, flat so that `{ data: node }` is a cytoscape element; `parent` groups nodes in their namespace's
 * compound node.
 */
export const TopologyNode = z.object({
  id: z.string(),
  kind: z.enum(TOPOLOGY_NODE_KINDS),
  namespace: z.string(),
  name: z.string(),
  parent: z.string().optional(),
  /** Whether a proxy runs beside it (unmeshed clients and services are not meshed themselves). */
  meshed: z.boolean(),
  /** Inbound traffic of the node over the window (for workloads: what its proxies answered). */
  rps: Measured,
  successRate: Measured,
  latencyMs: LatencyMs,
  health: Health,
  /** A destination that receives traffic but has no meshed pod reporting: called, but not there. */
  dead: z.boolean(),
  /** A workload's mTLS identity, as its proxies hold it; absent without identity. */
  identity: z.string().optional(),
});
export type TopologyNode = z.infer<typeof TopologyNode>;

export const TopologyEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  rps: Measured,
  successRate: Measured,
  latencyMs: LatencyMs,
  /** Fraction 0..1 of the edge's requests carried over mTLS; null when there was no traffic. */
  mtlsShare: Measured,
  /** All of the edge's traffic was mTLS. */
  secured: z.boolean(),
  /** Why not, when not secured (e.g. "no identity: the mesh runs without an identity service"). */
  insecureReason: z.string().optional(),
  /**
   * On a secured edge, the mTLS identities of its two ends (`<sa>.<ns>.serviceaccount.identity.meshviz.<td>`; several
   * joined with ", " when a side's pods hold more than one); absent when not secured or not known.
   */
  clientId: z.string().optional(),
  serverId: z.string().optional(),
  /**
   * Requests per second the server's proxies refused by authorization policy from the edge's client identity
   * (inbound_http_authz_deny_total by client_id); absent when none were refused or it is not known.
   */
  deniedRps: z.number().optional(),
  /**
   * On the edges of a split service to its backends (to a backend Service, or to the service's own workloads for
   * the backend that is the service itself): the fraction 0..1 of the service's routed requests the backend took
   * (`outbound_http_route_backend_requests_total`, attempts included; null without any in the window). Absent on
   * every other edge.
   */
  share: Measured.optional(),
  /**
   * With `share`: the backend's configured weight and that weight's fraction of its route's weights; null when the
   * configuration is not known, does not list the backend, or gives it different weights on different routes.
   */
  weight: z.number().int().nonnegative().nullable().optional(),
  configuredShare: Measured.optional(),
  health: Health,
});
export type TopologyEdge = z.infer<typeof TopologyEdge>;

export const TopologyResponse = z.object({
  window: z.string(),
  thresholds: HealthThresholds,
  nodes: z.array(TopologyNode),
  edges: z.array(TopologyEdge),
  /** Whether the split edges' configured weights were known, and why not. */
  configured: ConfiguredSource.optional(),
  /** The instant the answer's queries were evaluated at (see AsOf in stats.ts). */
  asOf: AsOf.optional(),
});
export type TopologyResponse = z.infer<typeof TopologyResponse>;
