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
 * The local application's address for a connection: with transparent interception a redirected connection names
 * the app's port it was sent to (the forward address' host, that port); otherwise the forward address.
 */
export function localApp(app: HostPort): (original: HostPort | undefined) => EndpointTarget {
  const fixed = localAppTarget(app);
  const byPort = new Map<number, EndpointTarget>();
  return (original) => {
    if (!original || original.port === app.port) return fixed;
    let target = byPort.get(original.port);
    if (!target) {
      target = localAppTarget({ host: app.host, port: original.port });
      byPort.set(original.port, target);
    }
    return target;
  };
}

/**
 * Inbound route stage: everything goes to the local application (the port the connection was meant for, with
 * transparent interception); the route table (PROXY_INBOUND_ROUTES) only
 * names the request's route for route_* metrics. Retries are the caller's business, so inbound routes never
 * retry. Authorization happens above it (the decide and enforce stages, src/policy/): what reaches this stage is
 * allowed.
 */
export function routeToLocalApp(app: (original: HostPort | undefined) => EndpointTarget, routes: RouteMatcher, next: Stage<RouteTarget>): Stage<HttpTarget> {
  const backends = new WeakMap<EndpointTarget, Backend>();
  return (target, request) => {
    const endpoint = app(target.original);
    let backend = backends.get(endpoint);
    if (!backend) {
      backend = { kind: 'endpoint', endpoint };
      backends.set(endpoint, backend);
    }
    return next({ direction: 'inbound', dst: target.authority, route: routes.match(request.method, request.path), backend }, request);
  };
}
