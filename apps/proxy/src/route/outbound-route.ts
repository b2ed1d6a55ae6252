import type { ServiceTarget } from '../balance/p2c.js';
import type { DestinationsTable } from '../discovery/destinations.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { ProxyError } from '../errors/proxy-error.js';
import { parseAuthority } from '../http/authority.js';
import type { HttpTarget, Stage } from '../http/exchange.js';
import { formatHostPort } from '../host-port.js';

/** Unmeshed targets are cached so repeated calls reuse one object; the cap bounds memory for odd clients. */
const MAX_UNMESHED_TARGETS = 1024;
const DEFAULT_HTTP_PORT = 80;

/**
 * Outbound route stage: the Host decides. A service in the destinations table goes to the balancer; any other
 * host is an unmeshed destination and goes straight to host:port.
 */
export function routeByAuthority(
  table: DestinationsTable,
  next: { service: Stage<ServiceTarget>; unmeshed: Stage<EndpointTarget> },
): Stage<HttpTarget> {
  const unmeshed = new Map<string, EndpointTarget>();

  const unmeshedTarget = (host: string, port: number): EndpointTarget => {
    const addr = { host, port };
    const targetAddr = formatHostPort(addr);
    let target = unmeshed.get(targetAddr);
    if (!target) {
      if (unmeshed.size >= MAX_UNMESHED_TARGETS) unmeshed.clear();
      target = { addr, destination: { key: `direct\u0000${targetAddr}`, targetAddr } };
      unmeshed.set(targetAddr, target);
    }
    return target;
  };

  return (target, request) => {
    const authority = parseAuthority(target.authority);
    if (!authority) return Promise.reject(new ProxyError('invalid_authority'));
    const service = table.lookup(authority.host);
    if (service) return next.service(service, request);
    return next.unmeshed(unmeshedTarget(authority.host, authority.port ?? DEFAULT_HTTP_PORT), request);
  };
}
