import type { RouteRow, RoutesQuery, RoutesResponse } from '@meshviz/mesh-types';
import {
  type RouteScope,
  routeActualRps,
  routeActualSuccessRps,
  routeLatencyQuantile,
  routeRps,
  routeSuccessRps,
} from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../../plugins/prometheus.js';

/** Seven queries per call: effective and actual rate and success, and three quantiles. */
export const ROUTES_QUERY_COUNT = 7;

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const ratio = (ok: number | null, total: number | null) => (total === null || total <= 0 ? null : Math.min(1, (ok ?? 0) / total));

export async function getRoutes(prom: PrometheusClient, q: RoutesQuery, at?: Date): Promise<RoutesResponse> {
  const scope: RouteScope = { namespace: q.namespace, workload: q.workload, window: q.window };
  const results = await Promise.all(
    [
      routeRps(scope),
      routeSuccessRps(scope),
      routeActualRps(scope),
      routeActualSuccessRps(scope),
      routeLatencyQuantile(scope, 0.5),
      routeLatencyQuantile(scope, 0.95),
      routeLatencyQuantile(scope, 0.99),
    ].map((query) => prom.instant(query, at)),
  );
  const [rps, ok, actual, actualOk, p50, p95, p99] = results.map(
    (samples: Sample[]) => new Map(samples.map((s) => [s.labels.rt_route ?? '', s.value])),
  ) as Array<Map<string, number>>;
  const routes = new Set([...rps!.keys(), ...actual!.keys()]);
  const rows: RouteRow[] = [...routes].map((route) => {
    const total = finite(rps!.get(route));
    const actualTotal = finite(actual!.get(route));
    const live = total !== null && total > 0 ? total : null;
    return {
      route,
      rps: live,
      successRate: ratio(finite(ok!.get(route)), live),
      latencyMs: { p50: finite(p50!.get(route)), p95: finite(p95!.get(route)), p99: finite(p99!.get(route)) },
      actualRps: actualTotal !== null && actualTotal > 0 ? actualTotal : null,
      actualSuccessRate: ratio(finite(actualOk!.get(route)), actualTotal),
    };
  });
  // Named routes by name, the unmatched traffic last: it is what a route table does not yet describe.
  rows.sort((a, b) => (a.route === '' ? 1 : b.route === '' ? -1 : a.route.localeCompare(b.route)));
  return { window: q.window, namespace: q.namespace, workload: q.workload, rows };
}
