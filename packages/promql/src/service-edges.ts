import { LABEL } from '@meshviz/mesh-types';
import { type EdgeScope, edgeLatencyBuckets, edgeResponseRates } from './edges.js';
import { eq, type Matcher } from './label-matchers.js';
import type { GroupedQuery } from './rate-sum.js';

/** One service over a rate window. */
export interface ServiceScope {
  namespace: string;
  service: string;
  window: string;
}

/**
 * The edges addressed to one service: every outbound series whose discovery labels name it, whoever the caller and
 * whichever workload served the request. On edge labels only, so the answers fold into both hops of the graph
 * (callers → service, service → backends) with the same numbers as the whole-mesh topology.
 */
export function serviceEdges(scope: Pick<ServiceScope, 'namespace' | 'service'>): Matcher[][] {
  return [[eq(LABEL.dstNamespace, scope.namespace), eq(LABEL.dstService, scope.service)]];
}

const edgeScope = (scope: ServiceScope): EdgeScope => ({ window: scope.window, anyOf: serviceEdges(scope) });

/** Response rates of the service's edges by caller and backend, split by classification, tls and no_tls_reason. */
export function serviceEdgeResponseRates(scope: ServiceScope): GroupedQuery {
  return edgeResponseRates(edgeScope(scope));
}

/** Latency buckets of the service's edges by caller and backend; summed in the API for the service's own quantiles. */
export function serviceEdgeLatencyBuckets(scope: ServiceScope): GroupedQuery {
  return edgeLatencyBuckets(edgeScope(scope));
}
