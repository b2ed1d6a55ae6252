import { LABEL, METRIC, TARGET_LABEL, type WORKLOAD_KINDS } from '@meshviz/mesh-types';
import { eq, type Matcher } from './label-matchers.js';
import { aggregateGauge, type GroupedQuery, sumRate } from './rate-sum.js';

/** Which rows a stats query produces and over which traffic. */
export interface StatsScope {
  /** Scrape-time label that names the resource (e.g. `deployment`, `pod`, `namespace`). */
  groupBy: (typeof WORKLOAD_KINDS)[number] | 'pod' | 'namespace';
  /** One namespace, or null for every namespace. */
  namespace: string | null;
  /** Range of the rate window, as a Prometheus duration. */
  window: string;
  /** Only the resource of this name (for one workload's time series or detail). */
  name?: string;
  /** Only pods of this deployment (for a workload's pod list). */
  deployment?: string;
  /** Only resources matching any of these matcher sets (on the grouping labels), e.g. a workload's neighbours. */
  anyOf?: readonly (readonly Matcher[])[];
}

export function statsGroupLabels(scope: Pick<StatsScope, 'groupBy'>): string[] {
  return scope.groupBy === 'namespace' ? [TARGET_LABEL.namespace] : [TARGET_LABEL.namespace, scope.groupBy];
}

function scopeMatchers(scope: StatsScope): Matcher[] {
  const matchers: Matcher[] = [eq(LABEL.direction, 'inbound')];
  if (scope.namespace !== null) matchers.push(eq(TARGET_LABEL.namespace, scope.namespace));
  if (scope.name !== undefined && scope.groupBy !== 'namespace') matchers.push(eq(scope.groupBy, scope.name));
  if (scope.deployment !== undefined) matchers.push(eq(TARGET_LABEL.deployment, scope.deployment));
  return matchers;
}

/**
 * Responses per second seen by the inbound side of each resource, split by classification: their sum is the
 * request rate and the `success` part the success rate, from one pass over the counters.
 */
export function statsResponseRates(scope: StatsScope): GroupedQuery {
  return sumRate({
    metric: METRIC.responseTotal,
    by: [...statsGroupLabels(scope), LABEL.classification],
    base: scopeMatchers(scope),
    anyOf: scope.anyOf ?? [],
    window: scope.window,
  });
}

/**
 * Latency histogram buckets per resource, aggregated before anything else so only `le` and the grouping labels
 * leave Prometheus. The API takes p50, p95 and p99 from this one answer (the same interpolation as
 * histogram_quantile), instead of three queries that would each rate every bucket series again.
 */
export function statsLatencyBuckets(scope: StatsScope): GroupedQuery {
  return sumRate({
    metric: `${METRIC.responseLatencyMs}_bucket`,
    by: [LABEL.le, ...statsGroupLabels(scope)],
    base: scopeMatchers(scope),
    anyOf: scope.anyOf ?? [],
    window: scope.window,
  });
}

/** Meshed pods per resource: every proxy reports proxy_build_info once. */
export function statsMeshedPods(scope: StatsScope): GroupedQuery {
  return aggregateGauge('count', {
    metric: METRIC.proxyBuildInfo,
    by: statsGroupLabels(scope),
    base: scopeMatchers(scope).filter((m) => m.label !== LABEL.direction),
    anyOf: scope.anyOf ?? [],
  });
}
