import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { HttpTarget, Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import type { RouteMatcher } from './route-table.js';
import type { Backend, RouteTarget } from './target.js';

/** The inbound side's one destination: the local application. */
export function localAppTarget(app: HostPort): EndpointTarget {
  const targetAddr = formatHostPort(app);
  return { addr: app, destination: { key: `app\u0000${targetAddr}`, targetAddr } };
}

/**
 * Inbound route stage: everything goes to the local application; the route table (PROXY_INBOUND_ROUTES) only
 * names the request's route for route_* metrics. Retries are the caller's business, so inbound routes never
 * retry. Authorization happens above it (the decide and enforce stages, src/policy/): what reaches this stage is
 * allowed.
 */
export function routeToLocalApp(app: HostPort, routes: RouteMatcher, next: Stage<RouteTarget>): Stage<HttpTarget> {
  const backend: Backend = { kind: 'endpoint', endpoint: localAppTarget(app) };
  return (target, request) =>
    next(
      { direction: 'inbound', dst: target.authority, route: routes.match(request.method, request.path), backend },
      request,
    );
}
