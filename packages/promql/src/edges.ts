import { CLUSTER_DOMAIN, LABEL, METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, escapeRegex, type Matcher, neq } from './label-matchers.js';
import { type GroupedQuery, sumRate } from './rate-sum.js';

/**
 * Traffic between workloads, as the calling proxies saw it (outbound series), kept per
 * (client workload, service, server workload). The API folds these groups into both hops of the graph
 * — client → service and service → server workload — so each hop needs no query of its own.
 */
export const EDGE_LABELS = [
  TARGET_LABEL.namespace,
  TARGET_LABEL.deployment,
  LABEL.dstNamespace,
  LABEL.dstService,
  LABEL.dstDeployment,
] as const;

export interface EdgeScope {
  window: string;
  /** Edges matching any of these matcher sets (on EDGE_LABELS only); every edge when empty. */
  anyOf: readonly (readonly Matcher[])[];
}

/** Edges with their client or their service in the namespace; the two sets do not overlap, so no series is read twice. */
export function edgesTouching(namespace: string): Matcher[][] {
  return [
    [eq(TARGET_LABEL.namespace, namespace)],
    [eq(LABEL.dstNamespace, namespace), neq(TARGET_LABEL.namespace, namespace)],
  ];
}

/**
 * Response rates per edge, split by classification, tls and no_tls_reason: from this one pass over the counters
 * come each edge's request rate (the sum), success rate, mTLS share and the reasons for plaintext.
 */
export function edgeResponseRates(scope: EdgeScope): GroupedQuery {
  return sumRate({
    metric: METRIC.responseTotal,
    by: [...EDGE_LABELS, LABEL.classification, LABEL.tls, LABEL.noTlsReason],
    base: [eq(LABEL.direction, 'outbound')],
    anyOf: scope.anyOf,
    window: scope.window,
  });
}

/** Latency histogram buckets per edge, summed down to `le` and the edge labels before they leave Prometheus. */
export function edgeLatencyBuckets(scope: EdgeScope): GroupedQuery {
  return sumRate({
    metric: `${METRIC.responseLatencyMs}_bucket`,
    by: [LABEL.le, ...EDGE_LABELS],
    base: [eq(LABEL.direction, 'outbound')],
    anyOf: scope.anyOf,
    window: scope.window,
  });
}

/**
 * Retries per service authority: attempts on the wire per second (route_actual_response_total) minus the requests
 * callers made (route_response_total), as the callers' proxies counted them. A server's proxies count every
 * attempt, so these must be added to the callers' edges before anything is left for unmeshed clients.
 * `namespace`: only services of that namespace.
 */
export function serviceRetryRates(scope: { window: string; namespace: string | null }): GroupedQuery {
  const m: Matcher[] = [eq(LABEL.direction, 'outbound')];
  if (scope.namespace !== null) {
    m.push({ label: LABEL.dst, op: '=~', value: `[^.]+\\.${escapeRegex(`${scope.namespace}.${CLUSTER_DOMAIN}`)}(:[0-9]+)?` });
  }
  const sum = (metric: string) => sumRate({ metric, by: [LABEL.dst], base: m, anyOf: [], window: scope.window });
  return { promql: `${sum(METRIC.routeActualResponseTotal).promql} - ${sum(METRIC.routeResponseTotal).promql}`, by: [LABEL.dst] };
}
