import { formatHostPort } from '@meshviz/runtime';
import type { HttpTarget, Stage } from '../core/stage.js';
import type { DestinationsTable } from '../discovery/destinations.js';
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
 * request's Host). A service in the destinations table goes to the balancer with the route its table matches;
 * any other host is an unmeshed destination, sent straight to host:port with no route (rt_route="").
 */
export function routeByAuthority(table: DestinationsTable, next: Stage<RouteTarget>): Stage<HttpTarget> {
  const unmeshed = unmeshedTargets();
  return (target, request) => {
    const authority = parseAuthority(target.logical ?? target.authority);
    if (!authority) return Promise.reject(new ProxyError('invalid_authority'));
    const service = table.lookup(authority.host);
    if (service) {
      const route = service.routes.match(request.method, request.path);
      return next({ direction: 'outbound', dst: service.authority, route, backend: { kind: 'service', service } }, request);
    }
    const endpoint = unmeshed(authority.host, authority.port ?? DEFAULT_HTTP_PORT);
    return next({ direction: 'outbound', dst: target.authority, route: UNMATCHED, backend: { kind: 'endpoint', endpoint } }, request);
  };
}
