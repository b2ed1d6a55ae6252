import {
  AuthzResponse,
  CheckResponse,
  RolloutsResponse,
  RoutesQuery,
  RoutesResponse,
  ServiceDetailParams,
  ServiceDetailQuery,
  ServiceDetailResponse,
  StatsQuery,
  StatsResponse,
  TapDrops,
  TapEvent,
  TapQuery,
  TapStreamStart,
  TapUpstreamError,
  TimeseriesQuery,
  TimeseriesResponse,
  TopologyQuery,
  TopologyResponse,
  TopSnapshot,
  WorkloadDetailParams,
  WorkloadDetailQuery,
  WorkloadDetailResponse,
} from '@meshviz/mesh-types';
import type { z } from 'zod';
import { AuthzQuery } from './authz-query.js';

/** A contract schema with the name it has in the OpenAPI document's components. */
export interface NamedSchema<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
}

/** What every endpoint has: its path (`{param}` marks a path parameter), what it is for, and its parameters. */
interface EndpointBase {
  readonly path: string;
  readonly summary: string;
  /** Path parameters, when the path has `{…}` segments. */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
}

/** A GET that answers one JSON document. */
export interface JsonEndpoint extends EndpointBase {
  readonly response: NamedSchema;
}

/** A GET that answers Server-Sent Events: each event name with the schema of its JSON `data`. */
export interface StreamEndpoint extends EndpointBase {
  readonly query: z.ZodObject;
  readonly events: Readonly<Record<string, NamedSchema>>;
}

/**
 * The public API's JSON endpoints, in the order the OpenAPI document lists them. The shapes are the contract's
 * (packages/mesh-types); this table only says where each one is served and how it is asked for.
 */
export const ENDPOINTS = {
  stats: {
    path: '/api/v1/stats',
    summary:
      'Golden metrics per workload, pod, namespace or service, optionally only the traffic to or from one resource, with TCP figures on request',
    query: StatsQuery,
    response: { name: 'StatsResponse', schema: StatsResponse },
  },
  topology: {
    path: '/api/v1/topology',
    summary: 'Workloads, services and unmeshed clients with the traffic between them',
    query: TopologyQuery,
    response: { name: 'TopologyResponse', schema: TopologyResponse },
  },
  timeseries: {
    path: '/api/v1/timeseries',
    summary: 'Success rate, RPS and latency quantiles of one workload or pod over time',
    query: TimeseriesQuery,
    response: { name: 'TimeseriesResponse', schema: TimeseriesResponse },
  },
  workloadDetail: {
    path: '/api/v1/workloads/{namespace}/{name}',
    summary: 'One workload: its stats, callers, callees, pods and neighbourhood graph',
    params: WorkloadDetailParams,
    query: WorkloadDetailQuery,
    response: { name: 'WorkloadDetailResponse', schema: WorkloadDetailResponse },
  },
  serviceDetail: {
    path: '/api/v1/services/{namespace}/{name}',
    summary:
      'One service as its callers measured it: golden metrics, callers, backends with their share, traffic split (configured weight beside measured share), endpoints and breaker trips, neighbourhood graph',
    params: ServiceDetailParams,
    query: ServiceDetailQuery,
    response: { name: 'ServiceDetailResponse', schema: ServiceDetailResponse },
  },
  routes: {
    path: '/api/v1/routes',
    summary:
      "Per-route stats of a workload (the server's view) or of a service (its callers' view: effective and actual, retries included, with the route's configured timeouts and retry policy, retry rates and timeouts), unmatched traffic included",
    query: RoutesQuery,
    response: { name: 'RoutesResponse', schema: RoutesResponse },
  },
  authz: {
    path: '/api/v1/authz',
    summary:
      "Authorization policy as one resource's proxies applied it: allowed, denied and audited traffic per server, route and authorization, with success rate and latency, and denials by client identity",
    query: AuthzQuery,
    response: { name: 'AuthzResponse', schema: AuthzResponse },
  },
  rollouts: {
    path: '/api/v1/rollouts',
    summary:
      "Progressive deliveries recorded in the mesh's config directory: each rollout's plan, phase, weights and every decision with the canary's figures it was made on",
    response: { name: 'RolloutsResponse', schema: RolloutsResponse },
  },
  check: {
    path: '/api/v1/check',
    summary: 'Health of the observability pipeline: Prometheus, scrape targets, proxies',
    response: { name: 'CheckResponse', schema: CheckResponse },
  },
} as const satisfies Record<string, JsonEndpoint>;

const start = { name: 'TapStreamStart', schema: TapStreamStart } as const;
const upstreamError = { name: 'TapUpstreamError', schema: TapUpstreamError } as const;

/** The public API's event streams; both need the tap token and read the same TapQuery. */
export const STREAMS = {
  tap: {
    path: '/api/v1/tap',
    summary: 'Live requests from the proxies, one event per part of a request',
    query: TapQuery,
    events: {
      start,
      tap: { name: 'TapEvent', schema: TapEvent },
      drops: { name: 'TapDrops', schema: TapDrops },
      'upstream-error': upstreamError,
    },
  },
  top: {
    path: '/api/v1/top',
    summary: 'The requests of a tap session aggregated by source, destination, method and path, every second',
    query: TapQuery,
    events: { start, top: { name: 'TopSnapshot', schema: TopSnapshot }, 'upstream-error': upstreamError },
  },
} as const satisfies Record<string, StreamEndpoint>;

export type JsonEndpointName = keyof typeof ENDPOINTS;
export type StreamEndpointName = keyof typeof STREAMS;

/** What a JSON endpoint answers, once checked. */
export type ResponseOf<E extends JsonEndpoint> = z.output<E['response']['schema']>;

/** The names of a stream's events. */
export type StreamEventName<S extends StreamEndpoint> = keyof S['events'] & string;

/**
 * One event of a stream, checked against its schema: `name` tells which, `data` is what it carried. Of a union of
 * streams, any event of any of them.
 */
export type StreamEventOf<S extends StreamEndpoint> = S extends StreamEndpoint
  ? { [K in StreamEventName<S>]: { name: K; data: z.output<S['events'][K]['schema']> } }[StreamEventName<S>]
  : never;
