import { LABEL, METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, neq, selector } from './label-matchers.js';

/**
 * Traffic between workloads, as the calling proxies saw it (outbound series), in two hops:
 * - `client-service`: calling workload → the service it addressed;
 * - `service-workload`: service → the workload whose pod answered.
 * Quantiles cannot be added up across groups, so each hop has its own queries.
 */
export type Hop = 'client-service' | 'service-workload';

export interface EdgeScope {
  hop: Hop;
  /** Namespace filter, or null for all. A client-service edge is kept when either end is in the namespace. */
  namespace: string | null;
  window: string;
}

export const HOP_LABELS: Record<Hop, readonly string[]> = {
  'client-service': [TARGET_LABEL.namespace, TARGET_LABEL.deployment, LABEL.dstNamespace, LABEL.dstService],
  'service-workload': [LABEL.dstNamespace, LABEL.dstService, LABEL.dstDeployment],
};

/**
 * One namespace on a client-service hop means traffic whose client or service is in it. A selector has no "or",
 * so the two halves are joined with `or` on identical label sets (`or` keeps the left series, nothing counts twice).
 */
function scoped(scope: EdgeScope, expr: (matchers: Matcher[]) => string, extra: Matcher[] = []): string {
  const base = [eq(LABEL.direction, 'outbound'), ...extra];
  if (scope.namespace === null) return expr(base);
  const server = expr([...base, eq(LABEL.dstNamespace, scope.namespace)]);
  if (scope.hop === 'service-workload') return server;
  return `${expr([...base, eq(TARGET_LABEL.namespace, scope.namespace)])} or ${server}`;
}

function sumRate(scope: EdgeScope, extra: Matcher[] = []): string {
  const by = HOP_LABELS[scope.hop].join(', ');
  return scoped(scope, (m) => `sum by (${by}) (rate(${selector(METRIC.responseTotal, m)}[${scope.window}]))`, extra);
}

export function edgeRps(scope: EdgeScope): string {
  return sumRate(scope);
}

export function edgeSuccessRps(scope: EdgeScope): string {
  return sumRate(scope, [eq(LABEL.classification, 'success')]);
}

/** Rate of responses carried over mTLS; divided by edgeRps it gives the mTLS share. */
export function edgeTlsRps(scope: EdgeScope): string {
  return sumRate(scope, [eq(LABEL.tls, 'true')]);
}

/** Why traffic was not mTLS: one series per (edge, no_tls_reason) seen; counts, not rates, since only labels matter. */
export function edgeNoTlsReasons(scope: EdgeScope): string {
  const by = [...HOP_LABELS[scope.hop], LABEL.noTlsReason].join(', ');
  return scoped(scope, (m) => `count by (${by}) (${selector(METRIC.responseTotal, m)})`, [neq(LABEL.tls, 'true')]);
}

export function edgeLatencyQuantile(scope: EdgeScope, quantile: number): string {
  if (!(quantile > 0 && quantile < 1)) throw new Error(`quantile must be in (0, 1), got ${quantile}`);
  const by = [LABEL.le, ...HOP_LABELS[scope.hop]].join(', ');
  const metric = `${METRIC.responseLatencyMs}_bucket`;
  return scoped(
    scope,
    (m) => `histogram_quantile(${quantile}, sum by (${by}) (rate(${selector(metric, m)}[${scope.window}])))`,
  );
}
