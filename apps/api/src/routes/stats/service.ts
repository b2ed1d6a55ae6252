import { parseInstant, type StatsQuery, type StatsResponse, type StatsRow } from '@meshviz/mesh-types';
import {
  type StatsScope,
  statsLatencyQuantile,
  statsMeshedPods,
  statsRps,
  statsSuccessRps,
} from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../../plugins/prometheus.js';

/** Six PromQL queries per call, whatever the number of workloads. */
export const STATS_QUERY_COUNT = 6;

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export async function getStats(prom: PrometheusClient, q: StatsQuery): Promise<StatsResponse> {
  const scope: StatsScope = {
    groupBy: q.kind,
    namespace: q.namespace === 'all' ? null : q.namespace,
    window: q.window,
  };
  const at = q.at === undefined ? undefined : new Date(parseInstant(q.at) ?? Date.now());
  return { window: q.window, rows: await statsRows(prom, scope, at) };
}

/** One row per resource of the scope's kind, with inbound golden metrics; six queries. */
export async function statsRows(prom: PrometheusClient, scope: StatsScope, at?: Date): Promise<StatsRow[]> {
  const kind = scope.groupBy;
  const [pods, rps, ok, p50, p95, p99] = await Promise.all([
    prom.instant(statsMeshedPods(scope), at),
    prom.instant(statsRps(scope), at),
    prom.instant(statsSuccessRps(scope), at),
    prom.instant(statsLatencyQuantile(scope, 0.5), at),
    prom.instant(statsLatencyQuantile(scope, 0.95), at),
    prom.instant(statsLatencyQuantile(scope, 0.99), at),
  ]);
  const keyOf = (s: Sample) => `${s.labels.namespace ?? ''}/${s.labels[kind] ?? ''}`;
  const index = (samples: Sample[]) => new Map(samples.map((s) => [keyOf(s), s.value]));
  const [podsBy, rpsBy, okBy, p50By, p95By, p99By] = [pods, rps, ok, p50, p95, p99].map(index) as Array<
    Map<string, number>
  >;

  const keys = new Set<string>();
  for (const s of [...pods, ...rps]) {
    // Series without the grouping label (e.g. a target without a deployment) are not rows of this kind.
    if (kind === 'namespace' ? s.labels.namespace : s.labels[kind]) keys.add(keyOf(s));
  }
  const rows: StatsRow[] = [...keys].map((key) => {
    const [namespace = '', name = ''] = key.split('/');
    const total = finite(rpsBy!.get(key));
    const success = finite(okBy!.get(key)) ?? 0;
    return {
      kind: kind,
      namespace,
      name: kind === 'namespace' ? namespace : name,
      meshedPods: podsBy!.get(key) ?? 0,
      // A rate of 0 means the series exist but nothing was answered in the window: that is "no traffic" (null).
      rps: total !== null && total > 0 ? total : null,
      successRate: total !== null && total > 0 ? Math.min(1, success / total) : null,
      latencyMs: { p50: finite(p50By!.get(key)), p95: finite(p95By!.get(key)), p99: finite(p99By!.get(key)) },
    };
  });
  rows.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return rows;
}
