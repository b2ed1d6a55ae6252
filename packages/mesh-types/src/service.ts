import { z } from 'zod';
import { NeighbourStats } from './detail.js';
import { FailureAccrual } from './outbound.js';
import { BackendEndpoints, ConfiguredSource, SplitBackend } from './outbound-views.js';
import { Dns1123Label } from './resources.js';
import { AtParam, LatencyMs, WindowParam } from './stats.js';
import { TopologyEdge, TopologyNode } from './topology.js';

/** A service, addressed by callers as `<name>.<namespace>.svc.cluster.local`. */
export const ServiceDetailParams = z.object({ namespace: Dns1123Label, name: Dns1123Label });
export type ServiceDetailParams = z.infer<typeof ServiceDetailParams>;

export const ServiceDetailQuery = z.object({
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export type ServiceDetailQuery = z.infer<typeof ServiceDetailQuery>;

const Measured = z.number().nullable();

/** The service's golden metrics as its meshed callers measured them (their outbound series), summed over callers. */
export const ServiceSummary = z.object({
  namespace: z.string(),
  name: z.string(),
  /** `<name>.<namespace>.svc.cluster.local`: what callers address. */
  authority: z.string(),
  /** Requests per second over the window; null when callers sent none. */
  rps: Measured,
  successRate: Measured,
  latencyMs: LatencyMs,
  /** Fraction 0..1 of the requests carried over mTLS; null without traffic. */
  mtlsShare: Measured,
});
export type ServiceSummary = z.infer<typeof ServiceSummary>;

/** A workload behind the service (the callers' `dst_deployment`). */
export const ServiceBackend = NeighbourStats.extend({
  /** Fraction 0..1 of the service's requests this workload served; null without traffic. */
  share: Measured,
  /** The workload's own inbound golden metrics (all it answered, whichever service was addressed). */
  inbound: z.object({
    meshedPods: z.number().int().nonnegative(),
    rps: Measured,
    successRate: Measured,
    latencyMs: LatencyMs,
  }),
});
export type ServiceBackend = z.infer<typeof ServiceBackend>;

export const ServiceDetailResponse = z.object({
  window: z.string(),
  service: ServiceSummary,
  /** Who calls it: meshed workloads, from their outbound series addressed to the service. */
  upstreams: z.array(NeighbourStats),
  /** The workloads serving it, with the part of its traffic each took and their own inbound numbers. */
  backends: z.array(ServiceBackend),
  /** Callers → service → backends as a small graph (the same shapes and numbers as /topology). */
  graph: z.object({ nodes: z.array(TopologyNode), edges: z.array(TopologyEdge) }),
  /**
   * The traffic split: per route of the service and backend, the configured weight beside the measured share of
   * the route's requests (every backend the configuration or the callers' proxies name).
   */
  split: z.array(SplitBackend).optional(),
  /** Each backend's endpoints as the callers' balancers hold them, and the breaker trips of the window. */
  endpoints: z.array(BackendEndpoints).optional(),
  /** The service's configured failure accrual (circuit breaking); null when the configuration is not known. */
  failureAccrual: FailureAccrual.nullable().optional(),
  /** Whether the configured fields (weights, failure accrual) were known, and why not. */
  configured: ConfiguredSource.optional(),
});
export type ServiceDetailResponse = z.infer<typeof ServiceDetailResponse>;
