import { OUTBOUND_LABEL, OUTBOUND_METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, selector } from './label-matchers.js';
import { aggregate, type GroupedQuery, sumRate } from './rate-sum.js';

/**
 * Outbound reliability of one Service (the parent its callers address), from the families its callers' proxies
 * keep per route and backend: retries, request outcomes (timeouts), the measured split, the balancers' endpoints
 * and breaker trips. Every series names the parent by `parent_namespace` and `parent_name`.
 */
export interface ParentScope {
  namespace: string;
  service: string;
  window: string;
}

export const OUTBOUND_ROUTE_LABELS = [OUTBOUND_LABEL.routeKind, OUTBOUND_LABEL.routeName] as const;
export const OUTBOUND_BACKEND_LABELS = [OUTBOUND_LABEL.backendNamespace, OUTBOUND_LABEL.backendName] as const;
export const OUTBOUND_PARENT_LABELS = [OUTBOUND_LABEL.parentNamespace, OUTBOUND_LABEL.parentName] as const;

const parent = (scope: Pick<ParentScope, 'namespace' | 'service'>): Matcher[] => [
  eq(OUTBOUND_LABEL.parentNamespace, scope.namespace),
  eq(OUTBOUND_LABEL.parentName, scope.service),
];

const rates = (scope: ParentScope, metric: string, by: readonly string[], extra: Matcher[] = []) =>
  sumRate({ metric, by, base: [...parent(scope), ...extra], anyOf: [], window: scope.window });

export const RETRY_FAMILIES = {
  requests: OUTBOUND_METRIC.retryRequests,
  successes: OUTBOUND_METRIC.retrySuccesses,
  limitExceeded: OUTBOUND_METRIC.retryLimitExceeded,
  overflow: OUTBOUND_METRIC.retryOverflow,
} as const;
export type RetryFamily = keyof typeof RETRY_FAMILIES;

/**
 * Per route, one retry family per second: retries sent, retries that succeeded, requests whose retries ran out
 * (limit exceeded), retries the budget refused (overflow). One query each: rate() drops the metric name, so the
 * four could not be told apart in one answer.
 */
export function routeRetryRates(scope: ParentScope, family: RetryFamily): GroupedQuery {
  return rates(scope, RETRY_FAMILIES[family], OUTBOUND_ROUTE_LABELS);
}

/** Requests per second per route and final outcome's `error` ("" when none): the timeouts, out of every request. */
export function routeRequestErrorRates(scope: ParentScope): GroupedQuery {
  return rates(scope, OUTBOUND_METRIC.routeRequestStatuses, [...OUTBOUND_ROUTE_LABELS, OUTBOUND_LABEL.error]);
}

/** Requests per second each route sent to each backend, attempts included: the measured split. */
export function routeBackendRequestRates(scope: ParentScope): GroupedQuery {
  return rates(scope, OUTBOUND_METRIC.routeBackendRequests, [...OUTBOUND_ROUTE_LABELS, ...OUTBOUND_BACKEND_LABELS]);
}

/** Responses per second per route and backend by status and `error`, for each backend's success rate. */
export function routeBackendResponseRates(scope: ParentScope): GroupedQuery {
  return rates(scope, OUTBOUND_METRIC.routeBackendResponseStatuses, [
    ...OUTBOUND_ROUTE_LABELS,
    ...OUTBOUND_BACKEND_LABELS,
    OUTBOUND_LABEL.httpStatus,
    OUTBOUND_LABEL.error,
  ]);
}

/** The labels balancerEndpoints keeps: the calling proxy (its scrape-time labels), the backend and the state. */
export const BALANCER_ENDPOINT_LABELS = [
  TARGET_LABEL.namespace,
  TARGET_LABEL.pod,
  ...OUTBOUND_BACKEND_LABELS,
  OUTBOUND_LABEL.endpointState,
] as const;

/**
 * Endpoints per backend and state (ready, pending) as each calling proxy's balancer holds them now: a gauge per
 * proxy, kept per proxy so the API can say what the least and the most affected caller sees.
 */
export function balancerEndpoints(scope: Pick<ParentScope, 'namespace' | 'service'>): GroupedQuery {
  return { promql: aggregate('sum', BALANCER_ENDPOINT_LABELS, selector(OUTBOUND_METRIC.balancerEndpoints, parent(scope))), by: BALANCER_ENDPOINT_LABELS };
}

/** Breaker trips per second per backend endpoint over the window, all calling proxies together. */
export function breakerTripRates(scope: ParentScope): GroupedQuery {
  return rates(scope, OUTBOUND_METRIC.breakerTransitions, [...OUTBOUND_BACKEND_LABELS, OUTBOUND_LABEL.endpoint], [
    eq(OUTBOUND_LABEL.state, 'tripped'),
  ]);
}

/** The split of every parent in a namespace (null: the whole mesh), for the topology. */
export interface SplitScope {
  namespace: string | null;
  window: string;
}

const splitBase = (scope: SplitScope): Matcher[] =>
  scope.namespace === null ? [] : [eq(OUTBOUND_LABEL.parentNamespace, scope.namespace)];

/**
 * Requests per second each parent's routes sent to each backend (the routes tell which configured weights were in
 * force for the traffic).
 */
export function splitBackendRequestRates(scope: SplitScope): GroupedQuery {
  return sumRate({
    metric: OUTBOUND_METRIC.routeBackendRequests,
    by: [...OUTBOUND_PARENT_LABELS, ...OUTBOUND_ROUTE_LABELS, ...OUTBOUND_BACKEND_LABELS],
    base: splitBase(scope),
    anyOf: [],
    window: scope.window,
  });
}

/** Responses per second per parent and backend by status and `error`, for the split edges' success rates. */
export function splitBackendResponseRates(scope: SplitScope): GroupedQuery {
  return sumRate({
    metric: OUTBOUND_METRIC.routeBackendResponseStatuses,
    by: [...OUTBOUND_PARENT_LABELS, ...OUTBOUND_BACKEND_LABELS, OUTBOUND_LABEL.httpStatus, OUTBOUND_LABEL.error],
    base: splitBase(scope),
    anyOf: [],
    window: scope.window,
  });
}
