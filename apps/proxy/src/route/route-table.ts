import type { RouteTable } from '@meshviz/mesh-types';
import { RetryBudget } from '../retry/budget.js';

/** A route a request matched: its name (the rt_route label) and its retry policy. */
export interface MatchedRoute {
  /** "" for requests no route matched. */
  readonly name: string;
  /** Extra attempts allowed for a failed idempotent request; 0 = no retries. */
  readonly retryLimit: number;
  /** Shared by every request of the route; present when retryLimit > 0. */
  readonly budget: RetryBudget | undefined;
}

export interface RouteMatcher {
  /** First matching route, or UNMATCHED. `target` is the request target as received (query string included). */
  match(method: string, target: string): MatchedRoute;
}

export const UNMATCHED: MatchedRoute = { name: '', retryLimit: 0, budget: undefined };
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
    const retryLimit = spec.retries?.limit ?? 0;
    return {
      name: spec.name,
      method: spec.method,
      retryLimit,
      budget: retryLimit > 0 ? new RetryBudget() : undefined,
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
