import { AUTHZ_LABEL, AUTHZ_METRIC, LABEL, METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, escapeRegex, type Matcher, neq, oneOf } from './label-matchers.js';
import { type GroupedQuery, sumRate } from './rate-sum.js';

/**
 * Authorization policy as the server's proxies applied it: the authz counters (allowed, denied, per server, route
 * and authorization) and the inbound request families, which carry the same srv_*, route_* and authz_* labels.
 */
export const AUTHZ_SERVER_LABELS = [AUTHZ_LABEL.srvKind, AUTHZ_LABEL.srvName, AUTHZ_LABEL.srvPort] as const;
export const AUTHZ_ROUTE_LABELS = [AUTHZ_LABEL.routeKind, AUTHZ_LABEL.routeName] as const;
export const AUTHZ_AUTHORIZATION_LABELS = [AUTHZ_LABEL.authzKind, AUTHZ_LABEL.authzName] as const;
/** What an authz row is keyed by: server × route × authorization. */
export const AUTHZ_ROW_LABELS = [...AUTHZ_SERVER_LABELS, ...AUTHZ_ROUTE_LABELS, ...AUTHZ_AUTHORIZATION_LABELS] as const;

/** One resource's inbound side over a rate window. */
export interface AuthzScope {
  /** Scrape-time label naming the resource: a workload kind (`deployment`, `statefulset`, …) or `pod`. */
  kind: string;
  namespace: string;
  name: string;
  window: string;
}

const resource = (scope: AuthzScope): Matcher[] => [eq(TARGET_LABEL.namespace, scope.namespace), eq(scope.kind, scope.name)];

const rates = (scope: AuthzScope, metric: string, by: readonly string[], extra: Matcher[] = []) =>
  sumRate({ metric, by, base: [...resource(scope), ...extra], anyOf: [], window: scope.window });

/** HTTP requests allowed per second, per server, route and the authorization that allowed them. */
export function authzHttpAllowRates(scope: AuthzScope): GroupedQuery {
  return rates(scope, AUTHZ_METRIC.httpAllow, AUTHZ_ROW_LABELS);
}

/** HTTP requests denied per second, per server, route and client identity ("" without mTLS). */
export function authzHttpDenyRates(scope: AuthzScope): GroupedQuery {
  return rates(scope, AUTHZ_METRIC.httpDeny, [...AUTHZ_SERVER_LABELS, ...AUTHZ_ROUTE_LABELS, AUTHZ_LABEL.clientId]);
}

/** Connections allowed per second on ports checked per connection (opaque and TLS), per server and authorization. */
export function authzTcpAllowRates(scope: AuthzScope): GroupedQuery {
  return rates(scope, AUTHZ_METRIC.tcpAllow, [...AUTHZ_SERVER_LABELS, ...AUTHZ_AUTHORIZATION_LABELS]);
}

/** Connections refused per second, per server and client identity. */
export function authzTcpDenyRates(scope: AuthzScope): GroupedQuery {
  return rates(scope, AUTHZ_METRIC.tcpDeny, [...AUTHZ_SERVER_LABELS, AUTHZ_LABEL.clientId]);
}

/** Inbound responses per second per server, route and authorization, split by classification (success rates). */
export function authzResponseRates(scope: AuthzScope): GroupedQuery {
  return rates(scope, METRIC.responseTotal, [...AUTHZ_ROW_LABELS, LABEL.classification], [eq(LABEL.direction, 'inbound')]);
}

/** Inbound latency buckets per server, route and authorization, for the API's p50/p95/p99. */
export function authzLatencyBuckets(scope: AuthzScope): GroupedQuery {
  return rates(scope, `${METRIC.responseLatencyMs}_bucket`, [LABEL.le, ...AUTHZ_ROW_LABELS], [eq(LABEL.direction, 'inbound')]);
}

/** The labels workloadDenialRates keeps: the server workload and the client identity it refused. */
export const WORKLOAD_DENIAL_LABELS = [TARGET_LABEL.namespace, TARGET_LABEL.deployment, AUTHZ_LABEL.clientId] as const;

/**
 * Requests and connections refused per second by each server workload, per client identity: both deny families in
 * one selection (`__name__`), so a refused connection counts as one refusal beside each refused request. The
 * topology puts these on the edges whose client holds the identity. `anyOf` (on the kept labels) narrows it.
 */
export function workloadDenialRates(scope: { window: string; anyOf: readonly (readonly Matcher[])[] }): GroupedQuery {
  return sumRate({
    metric: '',
    by: WORKLOAD_DENIAL_LABELS,
    base: [oneOf('__name__', [AUTHZ_METRIC.httpDeny, AUTHZ_METRIC.tcpDeny])],
    anyOf: scope.anyOf,
    window: scope.window,
  });
}

/**
 * Mesh identities of a namespace's workloads (`<sa>.<ns>.serviceaccount.identity.<…>`): a service account lives in
 * the namespace of the pods that use it, so this selects the refusals of that namespace's clients.
 */
export function clientsOfNamespace(namespace: string): Matcher {
  return { label: AUTHZ_LABEL.clientId, op: '=~', value: `[^.]+\\.${escapeRegex(namespace)}\\.serviceaccount\\.identity\\..+` };
}

/**
 * The refusals a namespace's topology can place: by its own workloads (the servers behind its services), and by
 * workloads elsewhere of its clients (behind the services they call). The two sets do not overlap.
 */
export function denialsTouching(namespace: string): Matcher[][] {
  return [[eq(TARGET_LABEL.namespace, namespace)], [clientsOfNamespace(namespace), neq(TARGET_LABEL.namespace, namespace)]];
}
