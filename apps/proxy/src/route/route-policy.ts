import type { OutboundConfig, OutboundRoute, RetryPolicy } from '@meshviz/mesh-types';
import type { ServiceRef } from '../balance/pool.js';
import type { Destination, ProxyRequest } from '../core/stage.js';
import { Fault } from '../fault/fault.js';
import type { RouteRef } from '../metrics/outbound-series.js';
import type { RetryBudget } from '../retry/budget.js';
import { BackendSplit, type WeightedBackend } from '../split/split.js';
import { compileMatch, type RequestTest } from './route-match.js';
import { type MatchedRoute, pathOf, type RetryRule } from './route-table.js';

/** What an outbound route adds to a matched route: the reliability settings every request of it follows. */
export interface RoutePolicy {
  readonly ref: RouteRef;
  /** The parent Service, as metrics name answers the proxy gives itself (fault aborts). */
  readonly service: Destination;
  /** The whole request, retries and response body included; undefined: no limit. */
  readonly requestMs: number | undefined;
  /** A request or response body (or the wait for response headers) may stall this long; undefined: no limit. */
  readonly idleMs: number | undefined;
  /**
   * Each attempt's wait for response headers once the request is sent, replacing PROXY_RESPONSE_TIMEOUT: the
   * smaller of the route's responseMs and its retry policy's perAttemptTimeoutMs; 0 when neither is set but a request
   * timeout is (the deadline governs); undefined when the route sets no timeout (the proxy's own applies).
   */
  readonly attemptTimeoutMs: number | undefined;
  readonly fault: Fault | undefined;
  readonly split: BackendSplit;
}

/** A service's outbound routes, in order: the first whose matches match names the request. */
export interface OutboundRoutes {
  /** undefined: no route matches (answered 404 route_not_found). */
  match(request: ProxyRequest): MatchedRoute | undefined;
}

/** What a route's compiled state is made from, beyond its own config. */
export interface RouteResolvers {
  /** A backend authority's balancer as seen from the parent; throws on a bad authority. */
  readonly backend: (authority: string, where: string) => Pick<WeightedBackend, 'pool' | 'ref' | 'key'>;
  /** The retry budget of the route with this key: the previous table's when the route was in it, so updates do not refill it. */
  readonly budget: (key: string) => RetryBudget;
}

interface Compiled {
  readonly matches: readonly RequestTest[];
  readonly route: MatchedRoute;
}

/**
 * Compiles a service's outbound config once per discovery update: matches into tests (the inbound policy's
 * matcher), retry policies into rules, timeouts into the per-attempt value the endpoint stage applies, faults and
 * backends into their pickers. Throws an Error naming the route and field that is wrong.
 */
export function compileOutbound(
  parent: ServiceRef,
  service: Destination,
  config: OutboundConfig,
  resolve: RouteResolvers,
  where: string,
): OutboundRoutes {
  const { accrual } = config;
  if (accrual.maxPenaltyMs < accrual.minPenaltyMs) {
    throw new Error(`${where}: accrual: maxPenaltyMs (${accrual.maxPenaltyMs}) is below minPenaltyMs (${accrual.minPenaltyMs})`);
  }
  const routes: Compiled[] = config.routes.map((route, i) => {
    const at = `${where}: routes[${i}] (${route.kind}/${route.name})`;
    return {
      matches: route.matches.map((match, j) => compileMatch(match, `${at}: matches[${j}]`)),
      route: compileRoute(parent, service, route, resolve, at),
    };
  });
  return {
    match: (request) => {
      const path = pathOf(request.path);
      for (const { matches, route } of routes) {
        for (const test of matches) if (test(request, path)) return route;
      }
      return undefined;
    },
  };
}

function compileRoute(parent: ServiceRef, service: Destination, route: OutboundRoute, resolve: RouteResolvers, at: string): MatchedRoute {
  const retry = route.retry ? retryRule(route.retry, at) : undefined;
  const { requestMs, responseMs, idleMs } = route.timeouts;
  const perAttempt = retry ? (route.retry?.perAttemptTimeoutMs ?? null) : null;
  const limits = [responseMs, perAttempt].filter((ms): ms is number => ms !== null);
  const attemptTimeoutMs = limits.length > 0 ? Math.min(...limits) : requestMs !== null ? 0 : undefined;
  const backends = route.backends.map((b, k): WeightedBackend => {
    const resolved = resolve.backend(b.authority, `${at}: backends[${k}]`);
    return { ...resolved, balanced: { kind: 'balanced', pool: resolved.pool }, weight: b.weight };
  });
  const key = [parent.namespace, parent.name, route.kind, route.name].join('\u0000');
  const policy: RoutePolicy = {
    ref: { parent, kind: route.kind, name: route.name, key },
    service,
    requestMs: requestMs ?? undefined,
    idleMs: idleMs ?? undefined,
    attemptTimeoutMs,
    fault: route.fault && (route.fault.abort || route.fault.delay) ? new Fault(route.fault) : undefined,
    split: new BackendSplit(backends),
  };
  return { name: route.name, retry, budget: retry ? resolve.budget(key) : undefined, policy };
}

function retryRule(policy: RetryPolicy, at: string): RetryRule | undefined {
  if (policy.limit === 0) return undefined;
  const ranges = policy.httpStatuses.map(([low, high], i) => {
    if (low > high) throw new Error(`${at}: retry: httpStatuses[${i}]: [${low}, ${high}] is not a range (${low} > ${high})`);
    return { low, high };
  });
  return {
    limit: policy.limit,
    idempotentOnly: false,
    status: (status) => {
      for (const { low, high } of ranges) if (status >= low && status <= high) return true;
      return false;
    },
    grpcCodes: new Set(policy.grpcCodes),
    timeouts: true,
  };
}
