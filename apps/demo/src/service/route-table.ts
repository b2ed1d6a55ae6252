import type { RouteBehaviour } from '@meshviz/mesh-types';
import { isPicked } from './even-spread.js';

/** Slow picks sit a quarter period after failure picks, so slow and failed requests rarely coincide. */
const SLOW_PHASE = 0.25;

export interface RoutePlan {
  route: RouteBehaviour;
  /** Milliseconds to wait before the downstream calls. */
  delayMs: number;
  /** Status to answer if every downstream call succeeds. */
  status: number;
}

export type RouteMatch =
  | { kind: 'route'; plan: RoutePlan }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** Matches method + exact path and decides, per route, which request is slow and which fails. */
export class RouteTable {
  private readonly routes: { route: RouteBehaviour; seen: number }[];

  constructor(routes: readonly RouteBehaviour[]) {
    this.routes = routes.map((route) => ({ route, seen: 0 }));
  }

  match(method: string, path: string): RouteMatch {
    const samePath = this.routes.filter((entry) => entry.route.path === path);
    const entry = samePath.find((candidate) => candidate.route.method === method);
    if (entry) return { kind: 'route', plan: this.plan(entry) };
    if (samePath.length > 0) return { kind: 'method-not-allowed', allow: samePath.map((e) => e.route.method) };
    return { kind: 'not-found' };
  }

  // Counted on arrival, synchronously, so concurrent requests cannot disturb the exact shares.
  private plan(entry: { route: RouteBehaviour; seen: number }): RoutePlan {
    const { route } = entry;
    const n = entry.seen++;
    const slow = route.slowShare > 0 && isPicked(n, route.slowShare, SLOW_PHASE);
    const fail = route.failShare > 0 && isPicked(n, route.failShare);
    return { route, delayMs: slow ? route.slowMs : route.latencyMs, status: fail ? route.failStatus : 200 };
  }
}
