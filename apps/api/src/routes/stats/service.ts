import type { StatsQuery, StatsResponse, StatsRow } from '@meshviz/mesh-types';
import { type StatsScope, statsGroupLabels, statsLatencyBuckets, statsMeshedPods, statsResponseRates } from '@meshviz/promql';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { histogramsBy } from '../../rates/latency.js';
import { keyOf, ratesBy } from '../../rates/response-rates.js';

/** Three PromQL queries per call, whatever the number of workloads: meshed pods, response rates, latency buckets. */
export const STATS_QUERY_COUNT = 3;

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export async function getStats(prom: PrometheusClient, q: StatsQuery, at: Date): Promise<StatsResponse> {
  const scope: StatsScope = {
    groupBy: q.kind,
    namespace: q.namespace === 'all' ? null : q.namespace,
    window: q.window,
  };
  return { window: q.window, rows: await statsRows(prom, scope, at) };
}

/** One row per resource of the scope's kind, with inbound golden metrics; three queries. */
export async function statsRows(prom: PrometheusClient, scope: StatsScope, at: Date): Promise<StatsRow[]> {
  const kind = scope.groupBy;
  const [pods, rates, buckets] = await Promise.all([
    prom.instant(statsMeshedPods(scope), at),
    prom.instant(statsResponseRates(scope), at),
    prom.instant(statsLatencyBuckets(scope), at),
  ]);
  const key = keyOf(statsGroupLabels(scope));
  const podsBy = new Map(pods.map((s) => [key(s.labels), s.value]));
  const ratesByKey = ratesBy(rates, key);
  const latency = histogramsBy(buckets, key);

  const rows = new Map<string, { namespace: string; name: string }>();
  for (const s of [...pods, ...rates]) {
    const name = kind === 'namespace' ? s.labels.namespace : s.labels[kind];
    // Series without the grouping label (e.g. a target without a deployment) are not rows of this kind.
    if (name) rows.set(key(s.labels), { namespace: s.labels.namespace ?? '', name });
  }
  const out: StatsRow[] = [...rows].map(([k, { namespace, name }]) => {
    const r = ratesByKey.get(k);
    const total = finite(r?.total);
    // A rate of 0 means the series exist but nothing was answered in the window: that is "no traffic" (null).
    const live = total !== null && total > 0 ? total : null;
    return {
      kind,
      namespace,
      name,
      meshedPods: podsBy.get(k) ?? 0,
      rps: live,
      successRate: live === null ? null : Math.min(1, (finite(r?.success) ?? 0) / live),
      latencyMs: latency.latency(k),
    };
  });
  out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return out;
}
