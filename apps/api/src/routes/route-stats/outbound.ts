import {
  type ConfiguredSource,
  OUTBOUND_LABEL,
  type RouteConfigured,
  type RouteRetryRates,
  type RouteTimeoutRates,
  serviceAuthority,
  TIMEOUT_ERRORS,
} from '@meshviz/mesh-types';
import { type ParentScope, RETRY_FAMILIES, type RetryFamily, routeRequestErrorRates, routeRetryRates } from '@meshviz/promql';
import { configuredRoutes, serviceEntry } from '../../destinations/configured.js';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { PrometheusClient, Sample } from '../../prometheus/client.js';

/** Queries a service's routes add to the route_* ones: one per retry family and one for the request outcomes. */
export const OUTBOUND_ROUTE_QUERY_COUNT = Object.keys(RETRY_FAMILIES).length + 1;

/** Per route name: what its callers' retries and timeouts did, and its configured policy. */
export interface RouteReliability {
  retries(route: string): RouteRetryRates | null;
  timeouts(route: string): RouteTimeoutRates | null;
  configured(route: string): RouteConfigured | null;
  /** Routes the configuration names, whether or not they had traffic. */
  configuredNames: string[];
  source: ConfiguredSource;
}

/** Per-second sums by route_name (a route's kinds together: rows are keyed by name, as rt_route is). */
function byRoute(samples: readonly Sample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const route = s.labels[OUTBOUND_LABEL.routeName] ?? '';
    out.set(route, (out.get(route) ?? 0) + s.value);
  }
  return out;
}

const FAMILIES = Object.keys(RETRY_FAMILIES) as RetryFamily[];

/**
 * A service's routes as its callers' proxies retried and timed them out (the outbound_http_route_* families,
 * whose parent is the service), beside their configured policy from the discovery table.
 */
export async function fetchRouteReliability(
  prom: PrometheusClient,
  scope: ParentScope,
  at: Date,
  destinations: DestinationsSource,
): Promise<RouteReliability> {
  const [retryAnswers, outcomes, configuredTable] = await Promise.all([
    Promise.all(FAMILIES.map((f) => prom.instant(routeRetryRates(scope, f), at))),
    prom.instant(routeRequestErrorRates(scope), at),
    destinations.read(),
  ]);
  const retries = new Map(FAMILIES.map((f, i) => [f, byRoute(retryAnswers[i] ?? [])]));
  const requests = byRoute(outcomes);
  const timedOut = (kind: keyof typeof TIMEOUT_ERRORS) =>
    byRoute(outcomes.filter((s) => s.labels[OUTBOUND_LABEL.error] === TIMEOUT_ERRORS[kind]));
  const timeouts = { request: timedOut('request'), response: timedOut('response'), idle: timedOut('idle') };

  const entry = configuredTable.table ? serviceEntry(configuredTable.table, scope.namespace, scope.service) : undefined;
  const configured = entry ? configuredRoutes(entry) : new Map<string, RouteConfigured>();
  const source: ConfiguredSource =
    configuredTable.table === null || entry !== undefined
      ? configuredTable.source
      : { known: false, reason: `the destinations file has no entry for ${serviceAuthority(scope.service, scope.namespace)}` };

  return {
    retries(route) {
      if (!FAMILIES.some((f) => retries.get(f)?.has(route))) return null;
      const rate = (f: RetryFamily) => retries.get(f)?.get(route) ?? null;
      return { rps: rate('requests'), successRps: rate('successes'), limitExceededRps: rate('limitExceeded'), overflowRps: rate('overflow') };
    },
    timeouts(route) {
      const rps = requests.get(route);
      if (rps === undefined) return null;
      return {
        rps,
        request: timeouts.request.get(route) ?? 0,
        response: timeouts.response.get(route) ?? 0,
        idle: timeouts.idle.get(route) ?? 0,
      };
    },
    configured: (route) => configured.get(route) ?? null,
    configuredNames: [...configured.keys()],
    source,
  };
}

/** A workload's routes are its inbound side, which no caller's configuration governs. */
export const WORKLOAD_ROUTES_SOURCE: ConfiguredSource = {
  known: false,
  reason: "a workload's routes are its inbound side: timeouts and retries are configured per service, for its callers (see the routes of its services)",
};
