import type { Direction } from '@meshviz/mesh-types';
import type { EndpointPool } from '../balance/pool.js';
import type { Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import type { BackendSplit } from '../split/split.js';
import type { MatchedRoute } from './route-table.js';

/**
 * What the route stage hands on: the request's route (for route_* metrics, retries and the outbound route's
 * settings) and where it goes next: a balanced service, a split between backends (resolved per attempt by the
 * split stage), or one concrete endpoint.
 */
export interface RouteTarget {
  readonly direction: Direction;
  /** The dst label: the service's authority from discovery (outbound), or the request's authority. */
  readonly dst: string;
  readonly route: MatchedRoute;
  readonly backend: Backend;
}

export type Backend =
  | { readonly kind: 'balanced'; readonly pool: EndpointPool }
  | { readonly kind: 'split'; readonly split: BackendSplit }
  | { readonly kind: 'endpoint'; readonly endpoint: EndpointTarget };

/** The last step of a route: a balanced backend goes to the balancer, an endpoint straight to the endpoint stage. */
export function toBackend(next: { balanced?: Stage<EndpointPool>; endpoint: Stage<EndpointTarget> }): Stage<RouteTarget> {
  const { balanced, endpoint } = next;
  return (target, request) => {
    const { backend } = target;
    if (backend.kind === 'endpoint') return endpoint(backend.endpoint, request);
    if (backend.kind === 'split') return Promise.reject(new Error('a route with backends reached a stack without a split stage'));
    if (!balanced) return Promise.reject(new Error('a service backend reached a stack without a balancer'));
    return balanced(backend.pool, request);
  };
}
