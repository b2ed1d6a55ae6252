import { z } from 'zod';
import { CompiledMatch } from './policy.js';

/**
 * The outbound (client-side) traffic contract: what the control plane's destination service compiles from Gateway
 * API routes attached to a Service (`parentRefs` of kind Service) and the Service's annotations, and what every
 * outbound proxy enforces per route: the backends and their weights (traffic split), timeouts, retries, fault
 * injection, and the Service's failure accrual (circuit breaking). It travels inside the discovery table
 * (`ServiceDestination.outbound`), so endpoints stay in one place and a backend is named by its authority.
 */

/** Defaults of the mesh meshviz models, where it has them. */
export const OUTBOUND_DEFAULTS = {
  retryLimit: 1,
  /** Requests with bodies larger than this are not retried (the body would have to be held). */
  retryMaxBodyBytes: 64 * 1024,
  /** Retry budget: retries may add this share of requests… */
  retryBudgetRatio: 0.2,
  /** …plus this many per second… */
  retryBudgetMinPerSecond: 10,
  /** …over a window of this length. */
  retryBudgetTtlMs: 10_000,
  /** Consecutive failures that trip an endpoint's breaker. */
  accrualMaxFailures: 7,
  accrualMinPenaltyMs: 1_000,
  accrualMaxPenaltyMs: 60_000,
  accrualJitter: 0.5,
  /** Peak-EWMA: the RTT estimate of an endpoint nothing is known about yet, and the decay time constant. */
  ewmaDefaultRttMs: 30,
  ewmaDecayMs: 10_000,
} as const;

/** Annotations read on a Service (defaults for its routes) and on a route (which win). */
export const OUTBOUND_ANNOTATIONS = {
  retryHttp: 'retry.meshviz.io/http',
  retryGrpc: 'retry.meshviz.io/grpc',
  retryLimit: 'retry.meshviz.io/limit',
  retryTimeout: 'retry.meshviz.io/timeout',
  timeoutRequest: 'timeout.meshviz.io/request',
  timeoutResponse: 'timeout.meshviz.io/response',
  timeoutIdle: 'timeout.meshviz.io/idle',
  failureAccrual: 'balancer.meshviz.io/failure-accrual',
  accrualMaxFailures: 'balancer.meshviz.io/failure-accrual-consecutive-max-failures',
  accrualMinPenalty: 'balancer.meshviz.io/failure-accrual-consecutive-min-penalty',
  accrualMaxPenalty: 'balancer.meshviz.io/failure-accrual-consecutive-max-penalty',
  accrualJitter: 'balancer.meshviz.io/failure-accrual-consecutive-jitter-ratio',
  /** `<share>:<status>`, e.g. `0.1:503`: answer that share of the route's requests with that status. */
  faultAbort: 'fault.meshviz.io/abort',
  /** `<share>:<duration>`, e.g. `0.05:200ms`: hold that share of the route's requests that long first. */
  faultDelay: 'fault.meshviz.io/delay',
} as const;

/**
 * Which answers a route retries: HTTP status ranges (`5xx` = [500, 599], `gateway-error` = [502, 504]) and gRPC
 * status codes by number. A connection that could not be made is always retryable; one lost before any response
 * is retried when the policy retries the 502 (gRPC: UNAVAILABLE) it becomes. `perAttemptTimeoutMs`
 * bounds each attempt (a timed-out attempt may be retried while the request's own deadline allows).
 */
export const RetryPolicy = z.object({
  limit: z.number().int().min(0).max(10),
  httpStatuses: z.array(z.tuple([z.number().int().min(100).max(599), z.number().int().min(100).max(599)])),
  grpcCodes: z.array(z.number().int().min(0).max(16)),
  perAttemptTimeoutMs: z.number().positive().nullable(),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/**
 * `requestMs`: the whole request, retries included (HTTPRoute `timeouts.request`, `timeout.meshviz.io/request`);
 * `responseMs`: each attempt until response headers (`timeouts.backendRequest`, `timeout.meshviz.io/response`);
 * `idleMs`: a request or response body that stalls this long is reset. A timed-out request answers 504 with
 * `x-meshviz-proxy-error: request_timeout` (or `response_timeout`) and is never retried past its deadline.
 */
export const RouteTimeouts = z.object({
  requestMs: z.number().positive().nullable(),
  responseMs: z.number().positive().nullable(),
  idleMs: z.number().positive().nullable(),
});
export type RouteTimeouts = z.infer<typeof RouteTimeouts>;

export const FaultInjection = z.object({
  abort: z.object({ share: z.number().min(0).max(1), status: z.number().int().min(200).max(599) }).nullable(),
  delay: z.object({ share: z.number().min(0).max(1), ms: z.number().positive() }).nullable(),
});
export type FaultInjection = z.infer<typeof FaultInjection>;

/** A backend of a route: another discovery entry (its authority), taking `weight` of the route's requests. */
export const OutboundBackend = z.object({
  authority: z.string().min(1),
  weight: z.number().int().min(0),
});
export type OutboundBackend = z.infer<typeof OutboundBackend>;

/**
 * A route of a Service, tried in order (first match wins, Gateway API precedence). `kind`/`name` are the
 * route_kind/route_name labels and the rt_route label (`name`); a Service without routes has one
 * `default`/`default` route matching everything with the Service itself as its only backend.
 */
export const OutboundRoute = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  matches: z.array(CompiledMatch).min(1),
  backends: z.array(OutboundBackend).min(1),
  timeouts: RouteTimeouts,
  retry: RetryPolicy.nullable(),
  fault: FaultInjection.nullable(),
});
export type OutboundRoute = z.infer<typeof OutboundRoute>;

/** Circuit breaking per endpoint: `none`, or trip after `maxFailures` consecutive failures, then probation. */
export const FailureAccrual = z.object({
  kind: z.enum(['none', 'consecutive']),
  maxFailures: z.number().int().min(1),
  minPenaltyMs: z.number().positive(),
  maxPenaltyMs: z.number().positive(),
  jitter: z.number().min(0).max(1),
});
export type FailureAccrual = z.infer<typeof FailureAccrual>;

export const NO_FAILURE_ACCRUAL: FailureAccrual = {
  kind: 'none',
  maxFailures: OUTBOUND_DEFAULTS.accrualMaxFailures,
  minPenaltyMs: OUTBOUND_DEFAULTS.accrualMinPenaltyMs,
  maxPenaltyMs: OUTBOUND_DEFAULTS.accrualMaxPenaltyMs,
  jitter: OUTBOUND_DEFAULTS.accrualJitter,
};

export const OutboundConfig = z.object({
  routes: z.array(OutboundRoute).min(1),
  accrual: FailureAccrual,
});
export type OutboundConfig = z.infer<typeof OutboundConfig>;

/**
 * Outbound reliability metric families (the names of the mesh meshviz models). Labels: `parent_namespace`,
 * `parent_name` (the Service), `route_kind`, `route_name`, and for backends `backend_namespace`, `backend_name`.
 */
export const OUTBOUND_METRIC = {
  /** Requests per route and final outcome, as the caller saw them: `http_status`, `error`. */
  routeRequestStatuses: 'outbound_http_route_request_statuses_total',
  /** Requests (attempts included) sent to each backend of a route: the measured split. */
  routeBackendRequests: 'outbound_http_route_backend_requests_total',
  routeBackendResponseStatuses: 'outbound_http_route_backend_response_statuses_total',
  retryRequests: 'outbound_http_route_retry_requests_total',
  retrySuccesses: 'outbound_http_route_retry_successes_total',
  retryLimitExceeded: 'outbound_http_route_retry_limit_exceeded_total',
  retryOverflow: 'outbound_http_route_retry_overflow_total',
  /** Gauge per Service backend: endpoints by `endpoint_state` ready or pending (tripped breakers are pending). */
  balancerEndpoints: 'outbound_http_balancer_endpoints',
  /** Breaker transitions per endpoint: `state` = tripped, probation, closed. */
  breakerTransitions: 'outbound_http_balancer_breaker_transitions_total',
  faultsInjected: 'outbound_http_route_faults_injected_total',
} as const;

export const OUTBOUND_LABEL = {
  parentNamespace: 'parent_namespace',
  parentName: 'parent_name',
  routeKind: 'route_kind',
  routeName: 'route_name',
  backendNamespace: 'backend_namespace',
  backendName: 'backend_name',
  httpStatus: 'http_status',
  error: 'error',
  endpointState: 'endpoint_state',
  endpoint: 'endpoint',
  state: 'state',
  fault: 'fault',
} as const;

/** Timeout kinds, the `error` label of request statuses and the proxy error kind answered (504). */
export const TIMEOUT_ERRORS = { request: 'REQUEST_TIMEOUT', response: 'RESPONSE_HEADERS_TIMEOUT', idle: 'IDLE_TIMEOUT' } as const;
