import { LABEL, type StatsQuery, type StatsResponse, type StatsRow } from '@meshviz/mesh-types';
import {
  groupLabels,
  type StatsScope,
  type StatsTrafficScope,
  statsLatencyBuckets,
  statsMeshedPods,
  statsResponseRates,
  statsTcpOpenConnections,
  statsTcpReadBytes,
  statsTcpWriteBytes,
  statsTrafficLatencyBuckets,
  statsTrafficMeshedPods,
  statsTrafficResponseRates,
} from '@meshviz/promql';
import type { PrometheusClient } from '../../prometheus/client.js';
import { statsRowsOf } from './rows.js';

/**
 * Three PromQL queries per call, whatever the number of workloads and whichever of to_*, from_* or kind=service:
 * meshed pods, response rates, latency buckets.
 */
export const STATS_QUERY_COUNT = 3;
/** With tcp=true, one more query per tcp_* family: open connections, read bytes, written bytes. */
export const STATS_TCP_QUERY_COUNT = 3;

/** The promql scope of a validated query (the schema has already refused contradictory parameters). */
export function trafficScope(q: StatsQuery): StatsTrafficScope {
  const scope: StatsTrafficScope = { kind: q.kind, namespace: q.namespace === 'all' ? null : q.namespace, window: q.window };
  if (q.to_kind !== undefined) scope.to = { kind: q.to_kind, name: q.to_name, namespace: q.to_namespace };
  if (q.from_kind !== undefined) scope.from = { kind: q.from_kind, name: q.from_name, namespace: q.from_namespace };
  return scope;
}

export async function getStats(prom: PrometheusClient, q: StatsQuery, at: Date): Promise<StatsResponse> {
  const scope = trafficScope(q);
  const podsQuery = statsTrafficMeshedPods(scope);
  const bucketsQuery = statsTrafficLatencyBuckets(scope);
  const tcpQueries = q.tcp ? [statsTcpOpenConnections(scope), statsTcpReadBytes(scope), statsTcpWriteBytes(scope)] : [];
  const [pods, rates, buckets, open, read, written] = await Promise.all(
    [podsQuery, statsTrafficResponseRates(scope), bucketsQuery, ...tcpQueries].map((query) => prom.instant(query, at)),
  );
  // Rows are named by what the buckets are grouped by besides `le`; meshed pods by what their count keeps.
  const shape = { kind: q.kind, rowLabels: groupLabels(bucketsQuery, LABEL.le), podLabels: podsQuery.by };
  const tcp = open && read && written ? { open, read, written } : undefined;
  return {
    window: q.window,
    rows: statsRowsOf(shape, { pods: pods ?? [], rates: rates ?? [], buckets: buckets ?? [], tcp }),
    asOf: at.toISOString(),
  };
}

/** One row per resource of the scope's kind, with inbound golden metrics; three queries (workload detail's pods). */
export async function statsRows(prom: PrometheusClient, scope: StatsScope, at: Date): Promise<StatsRow[]> {
  const podsQuery = statsMeshedPods(scope);
  const [pods, rates, buckets] = await Promise.all([
    prom.instant(podsQuery, at),
    prom.instant(statsResponseRates(scope), at),
    prom.instant(statsLatencyBuckets(scope), at),
  ]);
  return statsRowsOf({ kind: scope.groupBy, rowLabels: podsQuery.by, podLabels: podsQuery.by }, { pods, rates, buckets });
}
