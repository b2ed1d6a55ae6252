import { formatHostPort } from '@meshviz/runtime';
import type { HttpTarget, ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import type { DestinationsTable, ServiceTarget } from '../discovery/destinations.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { ProxyError } from '../errors/proxy-error.js';
import { parseAuthority } from '../http/authority.js';
import { UNMATCHED } from './route-table.js';
import type { RouteTarget } from './target.js';

/** Unmeshed targets are cached so repeated calls reuse one object; the cap bounds memory for odd clients. */
const MAX_UNMESHED_TARGETS = 1024;
const DEFAULT_HTTP_PORT = 80;

/** Endpoint targets of hosts that are not in discovery, one per host:port. */
export function unmeshedTargets(): (host: string, port: number) => EndpointTarget {
  const cache = new Map<string, EndpointTarget>();
  return (host, port) => {
    const addr = { host, port };
    const targetAddr = formatHostPort(addr);
    let target = cache.get(targetAddr);
    if (!target) {
      if (cache.size >= MAX_UNMESHED_TARGETS) cache.clear();
      target = { addr, destination: { key: `direct\u0000${targetAddr}`, targetAddr } };
      cache.set(targetAddr, target);
    }
    return target;
  };
}

/**
 * Outbound route stage: the authority decides (the connection's own when a TCP target port knows it, else the
 * request's Host). A service in the destinations table with outbound routes is matched against them (none
 * matching: 404 route_not_found), and the route's backends take the request; a service without them goes to its own
 * balancer with the route its table matches; any other host is an unmeshed destination, sent straight to host:port
 * with no route (rt_route=""). While the table waits for the destination stream's first message, requests wait
 * for it too, and are answered 503 no_endpoints if it does not come in time: before it the proxy cannot tell a
 * service of the mesh from any other host.
 *
 * A connection iptables redirected here (transparent interception) is routed by the address the app dialled
 * first: a service's cluster IP → that service, exactly as above; a pod address discovery lists → that endpoint
 * (mTLS with its identity). An address discovery does not know goes to the service the Host names, when it names
 * one (a name resolved by other means than the mesh's addresses still reaches its service), else to that address
 * as it is, unmeshed.
 */
export function routeByAuthority(table: DestinationsTable, next: Stage<RouteTarget>): Stage<HttpTarget> {
  const unmeshed = unmeshedTargets();
  const route: Stage<HttpTarget> = (target, request) => {
    const { original } = target;
    const found = original && table.lookupAddress(original);
    if (found?.kind === 'service') return toService(found.service, request);
    if (found?.kind === 'endpoint') return toEndpoint(found.endpoint, target, request);
    const authority = parseAuthority(target.logical ?? target.authority);
    const service = authority ? table.lookup(authority.host) : undefined;
    if (service) return toService(service, request);
    if (original) return toEndpoint(unmeshed(original.host, original.port), target, request);
    if (!authority) return Promise.reject(new ProxyError('invalid_authority'));
    return toEndpoint(unmeshed(authority.host, authority.port ?? DEFAULT_HTTP_PORT), target, request);
  };
  const toEndpoint = (endpoint: EndpointTarget, target: HttpTarget, request: ProxyRequest): Promise<ProxyResponse> =>
    next({ direction: 'outbound', dst: target.authority, route: UNMATCHED, backend: { kind: 'endpoint', endpoint } }, request);
  const toService = (service: ServiceTarget, request: ProxyRequest): Promise<ProxyResponse> => {
    if (service.outbound) {
      const matched = service.outbound.match(request);
      if (!matched?.policy) return Promise.reject(new ProxyError('route_not_found', { destination: service.destination }));
      return next({ direction: 'outbound', dst: service.authority, route: matched, backend: { kind: 'split', split: matched.policy.split } }, request);
    }
    const matched = service.routes.match(request.method, request.path);
    return next({ direction: 'outbound', dst: service.authority, route: matched, backend: service.backend }, request);
  };
  return (target, request) => {
    if (table.settled) return route(target, request);
    return table.whenSettled().then((settled) => {
      if (settled) return route(target, request);
      throw new ProxyError('no_endpoints', { message: 'no destinations table has arrived from the destination service yet' });
    });
  };
}
