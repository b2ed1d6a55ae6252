import type { RouteRow, RouteSideStats, RoutesResponse } from '@meshviz/mesh-types';
import { type RouteScope, routeLatencyBuckets, routeResponseRates } from '@meshviz/promql';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { histogramsBy } from '../../rates/latency.js';
import { keyOf, type ResponseRates, ratesBy } from '../../rates/response-rates.js';
import { fetchRouteReliability, OUTBOUND_ROUTE_QUERY_COUNT, type RouteReliability, WORKLOAD_ROUTES_SOURCE } from './outbound.js';

/** Three queries for a workload's routes: effective and actual response rates (by classification), latency buckets. */
export const ROUTES_QUERY_COUNT = 3;

/** A service's routes add its callers' retries (one query per family) and request outcomes: eight in all. */
export const SERVICE_ROUTES_QUERY_COUNT = ROUTES_QUERY_COUNT + OUTBOUND_ROUTE_QUERY_COUNT;

type Side = 'inbound' | 'outbound';

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const live = (r: ResponseRates | undefined): number | null => {
  const total = finite(r?.total);
  return total !== null && total > 0 ? total : null;
};
const ratio = (r: ResponseRates | undefined): number | null => {
  const total = live(r);
  return total === null ? null : Math.min(1, (finite(r?.success) ?? 0) / total);
};

const KEY = keyOf(['direction', 'rt_route']);
const key = (side: Side, route: string) => `${side}\u0000${route}`;

/**
 * Per-route stats. For a workload: its inbound series, the server's view (no retries happen there, so actual
 * equals effective). For a service: its callers' outbound series, where retries happen, so effective (what the
 * callers saw) and actual (every attempt on the wire) differ; a route no meshed caller reported falls back to the
 * servers' inbound series, and `server` carries the servers' view of every route beside the callers'. Traffic
 * no route matched is its own row (route "").
 */
export async function getRoutes(
  prom: PrometheusClient,
  scope: RouteScope,
  at: Date,
  destinations: DestinationsSource,
): Promise<RoutesResponse> {
  const { service } = scope;
  const [effective, actual, buckets, reliability] = await Promise.all([
    prom.instant(routeResponseRates(scope, 'effective'), at),
    prom.instant(routeResponseRates(scope, 'actual'), at),
    prom.instant(routeLatencyBuckets(scope), at),
    service === undefined
      ? null
      : fetchRouteReliability(prom, { namespace: scope.namespace, service, window: scope.window }, at, destinations),
  ]);
  const eff = ratesBy(effective, KEY);
  const act = ratesBy(actual, KEY);
  const latency = histogramsBy(buckets, KEY);
  const routes = new Set([...effective, ...actual].map((s) => s.labels.rt_route ?? ''));
  // A configured route without traffic is a row too: configured, and idle in the window.
  for (const name of reliability?.configuredNames ?? []) routes.add(name);

  const side = (s: Side, route: string): RouteSideStats => {
    const k = key(s, route);
    return { rps: live(eff.get(k)), successRate: ratio(eff.get(k)), latencyMs: latency.latency(k) };
  };
  const reported = (s: Side, route: string) => eff.has(key(s, route)) || act.has(key(s, route));

  const rows: RouteRow[] = [...routes].map((route) => {
    const measuredBy: Side = scope.service !== undefined && reported('outbound', route) ? 'outbound' : 'inbound';
    const k = key(measuredBy, route);
    const row: RouteRow = {
      route,
      ...side(measuredBy, route),
      actualRps: live(act.get(k)),
      actualSuccessRate: ratio(act.get(k)),
    };
    // Measured by nobody: only the configuration names it.
    if (reported('outbound', route) || reported('inbound', route)) row.direction = measuredBy;
    if (reliability !== null) {
      row.server = reported('inbound', route) ? side('inbound', route) : null;
      Object.assign(row, withReliability(reliability, route));
    }
    return row;
  });
  // Named routes by name, the unmatched traffic last: it is what a route table does not yet describe.
  rows.sort((a, b) => (a.route === '' ? 1 : b.route === '' ? -1 : a.route.localeCompare(b.route)));
  return {
    window: scope.window,
    namespace: scope.namespace,
    workload: scope.workload ?? '',
    ...(scope.service !== undefined ? { service: scope.service } : {}),
    rows,
    configured: reliability?.source ?? WORKLOAD_ROUTES_SOURCE,
  };
}

function withReliability(r: RouteReliability, route: string): Pick<RouteRow, 'configured' | 'retries' | 'timeouts'> {
  return { configured: r.configured(route), retries: r.retries(route), timeouts: r.timeouts(route) };
}
