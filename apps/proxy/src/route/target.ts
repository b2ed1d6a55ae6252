import type { Direction } from '@meshviz/mesh-types';
import type { ServiceTarget } from '../balance/p2c.js';
import type { Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import type { MatchedRoute } from './route-table.js';

/**
 * What the route stage hands on: the request's route (for route_* metrics and retries) and where it goes next,
 * a balanced service or one concrete endpoint.
 */
export interface RouteTarget {
  readonly direction: Direction;
  /** The dst label: the service's authority from discovery (outbound), or the request's authority. */
  readonly dst: string;
  readonly route: MatchedRoute;
  readonly backend: Backend;
}

export type Backend =
  | { readonly kind: 'service'; readonly service: ServiceTarget }
  | { readonly kind: 'endpoint'; readonly endpoint: EndpointTarget };

/** The last step of a route: a service goes to the balancer, an endpoint straight to the endpoint stage. */
export function toBackend(next: { service?: Stage<ServiceTarget>; endpoint: Stage<EndpointTarget> }): Stage<RouteTarget> {
  const { service, endpoint } = next;
  return (target, request) => {
    const { backend } = target;
    if (backend.kind === 'endpoint') return endpoint(backend.endpoint, request);
    if (!service) return Promise.reject(new Error('a service backend reached a stack without a balancer'));
    return service(backend.service, request);
  };
}
