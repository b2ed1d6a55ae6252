import { LABEL, METRIC, serviceAuthority, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, escapeRegex, type Matcher } from './label-matchers.js';
import { type GroupedQuery, sumRate } from './rate-sum.js';

/**
 * Routes of a workload or of a service, from the route_* families (rt_route "" = no route matched).
 * - workload: the inbound series of its pods, the server's view;
 * - service: every series whose `dst` is the service's authority, with or without a port: the callers' outbound
 *   series (effective and actual, so retries show) and the servers' inbound ones, told apart by `direction`.
 */
export type RouteScope = { namespace: string; window: string; route?: string } & (
  | { workload: string; service?: undefined }
  | { service: string; workload?: undefined }
);

export const ROUTE_LABELS = [LABEL.direction, LABEL.rtRoute] as const;

function matchers(scope: RouteScope): Matcher[] {
  const m: Matcher[] =
    scope.service !== undefined
      ? [
          {
            label: LABEL.dst,
            op: '=~',
            value: `${escapeRegex(serviceAuthority(scope.service, scope.namespace))}(:[0-9]+)?`,
          },
        ]
      : [
          eq(LABEL.direction, 'inbound'),
          eq(TARGET_LABEL.namespace, scope.namespace),
          eq(TARGET_LABEL.deployment, scope.workload),
        ];
  if (scope.route !== undefined) m.push(eq(LABEL.rtRoute, scope.route));
  return m;
}

/**
 * Responses per second per route and side, split by classification. `effective`: what callers saw, one per
 * request whatever the retries; `actual`: every attempt on the wire, retries included.
 */
export function routeResponseRates(scope: RouteScope, family: 'effective' | 'actual'): GroupedQuery {
  return sumRate({
    metric: family === 'effective' ? METRIC.routeResponseTotal : METRIC.routeActualResponseTotal,
    by: [...ROUTE_LABELS, LABEL.classification],
    base: matchers(scope),
    anyOf: [],
    window: scope.window,
  });
}

/** Latency histogram buckets per route and side (effective requests: the time the caller waited, retries included). */
export function routeLatencyBuckets(scope: RouteScope): GroupedQuery {
  return sumRate({
    metric: `${METRIC.routeResponseLatencyMs}_bucket`,
    by: [LABEL.le, ...ROUTE_LABELS],
    base: matchers(scope),
    anyOf: [],
    window: scope.window,
  });
}
