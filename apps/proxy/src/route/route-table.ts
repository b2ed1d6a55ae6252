import type { RouteTable } from '@meshviz/mesh-types';
import { RetryBudget } from '../retry/budget.js';
import type { RoutePolicy } from './route-policy.js';

/** When a failed attempt is sent again. */
export interface RetryRule {
  /** Extra attempts allowed; at least 1. */
  readonly limit: number;
  /** Route tables (`routes`) retry only idempotent methods; outbound routes any method whose body can be replayed. */
  readonly idempotentOnly: boolean;
  /** HTTP statuses worth another attempt. */
  readonly status: (status: number) => boolean;
  /** gRPC statuses worth another attempt (headers of a trailers-only answer, or trailers of an answer without messages). */
  readonly grpcCodes: ReadonlySet<number>;
  /** Whether an attempt that timed out waiting for response headers (response_timeout) is retried. */
  readonly timeouts: boolean;
}

/** A route a request matched: its name (the rt_route label), its retry rule and, for outbound routes, the rest. */
export interface MatchedRoute {
  /** "" for requests no route matched. */
  readonly name: string;
  /** undefined: no retries. */
  readonly retry: RetryRule | undefined;
  /** Shared by every request of the route; present when `retry` is. */
  readonly budget: RetryBudget | undefined;
  /**
   * Routes from a service's outbound config (ServiceDestination.outbound): backends, timeouts, faults and the
   * outbound_http_route_* families. undefined for route tables and unmatched requests.
   */
  readonly policy: RoutePolicy | undefined;
}

export interface RouteMatcher {
  /** First matching route, or UNMATCHED. `target` is the request target as received (query string included). */
  match(method: string, target: string): MatchedRoute;
}

export const UNMATCHED: MatchedRoute = { name: '', retry: undefined, budget: undefined, policy: undefined };

const isServerError = (status: number): boolean => status >= 500;
const NO_CODES: ReadonlySet<number> = new Set();
export const NO_ROUTES: RouteMatcher = { match: () => UNMATCHED };

interface Compiled extends MatchedRoute {
  readonly method: string | undefined;
  readonly test: (path: string) => boolean;
}

/**
 * Compiles a route table once per load (config or discovery), so matching a request costs string compares and
 * at most one precompiled regular expression per route. Throws an Error naming the route whose pathRegex is not
 * a valid regular expression.
 */
export function compileRoutes(table: RouteTable): RouteMatcher {
  if (table.length === 0) return NO_ROUTES;
  const routes: Compiled[] = table.map((spec) => {
    const limit = spec.retries?.limit ?? 0;
    const retry: RetryRule | undefined =
      limit > 0 ? { limit, idempotentOnly: true, status: isServerError, grpcCodes: NO_CODES, timeouts: false } : undefined;
    return {
      name: spec.name,
      method: spec.method,
      retry,
      budget: retry ? new RetryBudget() : undefined,
      policy: undefined,
      test: pathTest(spec),
    };
  });
  return {
    match: (method, target) => {
      const path = pathOf(target);
      for (const route of routes) {
        if ((route.method === undefined || route.method === method) && route.test(path)) return route;
      }
      return UNMATCHED;
    },
  };
}

function pathTest(spec: RouteTable[number]): (path: string) => boolean {
  const { path, pathPrefix, pathRegex } = spec;
  if (path !== undefined) return (p) => p === path;
  if (pathPrefix !== undefined) return (p) => p.startsWith(pathPrefix);
  if (pathRegex !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pathRegex})$`);
    } catch (error) {
      throw new Error(`route "${spec.name}": pathRegex is not a valid regular expression: ${(error as Error).message}`);
    }
    return (p) => re.test(p);
  }
  return () => true;
}

/** The path of a request target: origin form without its query, or the path of an absolute-form target. */
export function pathOf(target: string): string {
  let start = 0;
  if (!target.startsWith('/')) {
    // Absolute form (http://host/path) from proxy-aware clients.
    const scheme = target.indexOf('://');
    const slash = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
    if (slash < 0) return '/';
    start = slash;
  }
  const end = target.indexOf('?', start);
  return end < 0 ? target.slice(start) : target.slice(start, end);
}
