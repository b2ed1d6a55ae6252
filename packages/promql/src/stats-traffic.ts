import { type DstKind, LABEL, METRIC, type ResourceKind, type StatsKind, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, neq, selector } from './label-matchers.js';
import { aggregate, type GroupedQuery, sumRate } from './rate-sum.js';
import { statsGroupLabels, statsMeshedPods } from './stats.js';

/** One end of the traffic (`to_*` or `from_*`): a kind, and optionally a name and a namespace. */
export interface TrafficEnd<K extends string> {
  kind: K;
  name?: string;
  namespace?: string;
}

/** What `/api/v1/stats` asks for: the rows' kind and namespace, and optionally one end of their traffic. */
export interface StatsTrafficScope {
  kind: StatsKind;
  /** One namespace of the rows, or null for every namespace. */
  namespace: string | null;
  window: string;
  /** Rows' traffic to this destination, from their own outbound proxies. */
  to?: TrafficEnd<DstKind>;
  /** Rows' traffic from this source, from the source's outbound proxies. */
  from?: TrafficEnd<ResourceKind>;
}

/** Which series a stats query reads, and the labels that name a row in them. */
export interface StatsSelection {
  /** inbound: the rows' own proxies; outbound: the callers' proxies (to_*, from_*, services). */
  direction: 'inbound' | 'outbound';
  /** Labels naming a row, namespace first: scrape-time labels for inbound and to_*, dst_* labels otherwise. */
  rowLabels: string[];
  /** Every matcher of the series, direction included. */
  matchers: Matcher[];
}

const DST_LABEL: Record<DstKind, string> = {
  deployment: LABEL.dstDeployment,
  pod: LABEL.dstPod,
  service: LABEL.dstService,
  namespace: LABEL.dstNamespace,
};

/** Matchers naming one end by `label` (the name) and `nsLabel` (its namespace); no name: any resource of the kind. */
function endMatchers(end: TrafficEnd<string>, label: string, nsLabel: string): Matcher[] {
  const m = [end.name === undefined ? neq(label, '') : eq(label, end.name)];
  if (end.namespace !== undefined && label !== nsLabel) m.push(eq(nsLabel, end.namespace));
  return m;
}

/**
 * The series behind a stats call. Rows without `to`/`from` are the resources' inbound traffic (their own
 * proxies); with `to`, the rows' outbound series towards the destination's dst_* labels; with `from` and for
 * services, the callers' outbound series, rows named by their dst_* labels (inbound series name no client).
 */
export function statsSelection(scope: StatsTrafficScope): StatsSelection {
  const { kind, namespace, to, from } = scope;
  if (to && from) throw new Error('stats: to and from cannot be combined');
  if (kind === 'service' || from) {
    if (kind !== 'service' && kind !== 'deployment' && kind !== 'pod' && kind !== 'namespace') {
      throw new Error(`stats: rows of kind "${kind}" cannot be named by dst_* labels`);
    }
    if (to) throw new Error('stats: service rows take no "to"');
    const rowLabels = kind === 'namespace' ? [LABEL.dstNamespace] : [LABEL.dstNamespace, DST_LABEL[kind]];
    const matchers: Matcher[] = [eq(LABEL.direction, 'outbound')];
    if (namespace !== null) matchers.push(eq(LABEL.dstNamespace, namespace));
    else if (kind === 'namespace') matchers.push(neq(LABEL.dstNamespace, ''));
    if (kind !== 'namespace') matchers.push(neq(DST_LABEL[kind], ''));
    if (from) {
      const label = from.kind === 'namespace' ? TARGET_LABEL.namespace : from.kind;
      matchers.push(...endMatchers(from, label, TARGET_LABEL.namespace));
    }
    return { direction: 'outbound', rowLabels, matchers };
  }
  const rowLabels = statsGroupLabels({ groupBy: kind });
  const matchers: Matcher[] = [eq(LABEL.direction, to ? 'outbound' : 'inbound')];
  if (namespace !== null) matchers.push(eq(TARGET_LABEL.namespace, namespace));
  if (to) matchers.push(...endMatchers(to, DST_LABEL[to.kind], LABEL.dstNamespace));
  return { direction: to ? 'outbound' : 'inbound', rowLabels, matchers };
}

/**
 * Labels kept by the response rates: the row labels, plus dst_deployment for service rows (which workloads
 * back each service, for its meshed pods), plus classification.
 */
export function statsTrafficRateLabels(scope: StatsTrafficScope): string[] {
  const { rowLabels } = statsSelection(scope);
  return scope.kind === 'service' ? [...rowLabels, LABEL.dstDeployment] : rowLabels;
}

const sumRateOf = (metric: string, by: readonly string[], matchers: readonly Matcher[], window: string) =>
  sumRate({ metric, by, base: matchers, anyOf: [], window });

/** Responses per second of each row's traffic, split by classification (request rate and success rate in one pass). */
export function statsTrafficResponseRates(scope: StatsTrafficScope): GroupedQuery {
  const { matchers } = statsSelection(scope);
  return sumRateOf(METRIC.responseTotal, [...statsTrafficRateLabels(scope), LABEL.classification], matchers, scope.window);
}

/** Latency histogram buckets of each row's traffic, summed to `le` and the row labels in Prometheus. */
export function statsTrafficLatencyBuckets(scope: StatsTrafficScope): GroupedQuery {
  const { rowLabels, matchers } = statsSelection(scope);
  return sumRateOf(`${METRIC.responseLatencyMs}_bucket`, [LABEL.le, ...rowLabels], matchers, scope.window);
}

/**
 * Meshed pods, counted by the scrape-time labels of the rows' kind (the same values as the dst_* labels of rows
 * named by them); for service rows, per workload (`deployment`), summed by the API over the workloads behind each
 * service.
 */
export function statsTrafficMeshedPods(scope: StatsTrafficScope): GroupedQuery {
  const groupBy = scope.kind === 'service' ? 'deployment' : scope.kind;
  return statsMeshedPods({ groupBy, namespace: scope.namespace, window: scope.window });
}

/**
 * The tcp_* matchers: the same series as the rows' requests, on the side facing the other end — connections the
 * inbound proxies accepted (`peer="src"`), or the outbound proxies opened (`peer="dst"`).
 */
function tcpSelection(scope: StatsTrafficScope): { by: string[]; matchers: Matcher[] } {
  const { direction, rowLabels, matchers } = statsSelection(scope);
  return { by: rowLabels, matchers: [...matchers, eq(LABEL.peer, direction === 'inbound' ? 'src' : 'dst')] };
}

/** Open connections per row at the evaluation time (a gauge, not rated). */
export function statsTcpOpenConnections(scope: StatsTrafficScope): GroupedQuery {
  const { by, matchers } = tcpSelection(scope);
  return { promql: aggregate('sum', by, selector(METRIC.tcpOpenConnections, matchers)), by };
}

/** Bytes per second the proxies read from the row's connections. */
export function statsTcpReadBytes(scope: StatsTrafficScope): GroupedQuery {
  const { by, matchers } = tcpSelection(scope);
  return sumRateOf(METRIC.tcpReadBytesTotal, by, matchers, scope.window);
}

/** Bytes per second the proxies wrote to the row's connections. */
export function statsTcpWriteBytes(scope: StatsTrafficScope): GroupedQuery {
  const { by, matchers } = tcpSelection(scope);
  return sumRateOf(METRIC.tcpWriteBytesTotal, by, matchers, scope.window);
}
