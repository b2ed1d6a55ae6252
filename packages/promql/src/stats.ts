import { LABEL, METRIC, TARGET_LABEL, type WORKLOAD_KINDS } from '@meshviz/mesh-types';
import { eq, type Matcher, selector } from './label-matchers.js';

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
}

function groupLabels(scope: StatsScope): string {
  return scope.groupBy === 'namespace' ? TARGET_LABEL.namespace : `${TARGET_LABEL.namespace}, ${scope.groupBy}`;
}

function scopeMatchers(scope: StatsScope): Matcher[] {
  const matchers: Matcher[] = [eq(LABEL.direction, 'inbound')];
  if (scope.namespace !== null) matchers.push(eq(TARGET_LABEL.namespace, scope.namespace));
  if (scope.name !== undefined && scope.groupBy !== 'namespace') matchers.push(eq(scope.groupBy, scope.name));
  if (scope.deployment !== undefined) matchers.push(eq(TARGET_LABEL.deployment, scope.deployment));
  return matchers;
}

/** Responses per second seen by the inbound side of each resource. */
export function statsRps(scope: StatsScope): string {
  const sel = selector(METRIC.responseTotal, scopeMatchers(scope));
  return `sum by (${groupLabels(scope)}) (rate(${sel}[${scope.window}]))`;
}

/** Success responses per second; divided by `statsRps` it gives the success rate (done in the service, so 0/0 stays null). */
export function statsSuccessRps(scope: StatsScope): string {
  const sel = selector(METRIC.responseTotal, [...scopeMatchers(scope), eq(LABEL.classification, 'success')]);
  return `sum by (${groupLabels(scope)}) (rate(${sel}[${scope.window}]))`;
}

/** A latency quantile over the whole window (rate over the window, never irate). */
export function statsLatencyQuantile(scope: StatsScope, quantile: number): string {
  if (!(quantile > 0 && quantile < 1)) throw new Error(`quantile must be in (0, 1), got ${quantile}`);
  const sel = selector(`${METRIC.responseLatencyMs}_bucket`, scopeMatchers(scope));
  return `histogram_quantile(${quantile}, sum by (${LABEL.le}, ${groupLabels(scope)}) (rate(${sel}[${scope.window}])))`;
}

/** Meshed pods per resource: every proxy reports proxy_build_info once. */
export function statsMeshedPods(scope: StatsScope): string {
  const matchers = scopeMatchers(scope).filter((m) => m.label !== LABEL.direction);
  const sel = selector(METRIC.proxyBuildInfo, matchers);
  return `count by (${groupLabels(scope)}) (${sel})`;
}
