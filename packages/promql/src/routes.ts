import { LABEL, METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, selector } from './label-matchers.js';

/** Inbound routes of one workload, from the route_* families (rt_route "" = no route matched). */
export interface RouteScope {
  namespace: string;
  workload: string;
  window: string;
  /** Only this route (for its time series). */
  route?: string;
}

function matchers(scope: RouteScope, extra: Matcher[] = []): Matcher[] {
  const m = [
    eq(LABEL.direction, 'inbound'),
    eq(TARGET_LABEL.namespace, scope.namespace),
    eq(TARGET_LABEL.deployment, scope.workload),
    ...extra,
  ];
  if (scope.route !== undefined) m.push(eq(LABEL.rtRoute, scope.route));
  return m;
}

const sumRate = (metric: string, scope: RouteScope, extra: Matcher[] = []) =>
  `sum by (${LABEL.rtRoute}) (rate(${selector(metric, matchers(scope, extra))}[${scope.window}]))`;

/** Effective requests: what callers saw, one per request whatever the retries. */
export const routeRps = (s: RouteScope) => sumRate(METRIC.routeResponseTotal, s);
export const routeSuccessRps = (s: RouteScope) =>
  sumRate(METRIC.routeResponseTotal, s, [eq(LABEL.classification, 'success')]);
/** Actual requests: every attempt on the wire, retries included. */
export const routeActualRps = (s: RouteScope) => sumRate(METRIC.routeActualResponseTotal, s);
export const routeActualSuccessRps = (s: RouteScope) =>
  sumRate(METRIC.routeActualResponseTotal, s, [eq(LABEL.classification, 'success')]);

export function routeLatencyQuantile(scope: RouteScope, quantile: number): string {
  if (!(quantile > 0 && quantile < 1)) throw new Error(`quantile must be in (0, 1), got ${quantile}`);
  const sel = selector(`${METRIC.routeResponseLatencyMs}_bucket`, matchers(scope));
  return `histogram_quantile(${quantile}, sum by (${LABEL.le}, ${LABEL.rtRoute}) (rate(${sel}[${scope.window}])))`;
}
