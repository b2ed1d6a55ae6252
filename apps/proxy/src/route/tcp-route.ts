import type { Accepted } from '../accept/listener.js';
import { pickEndpoint } from '../balance/p2c.js';
import type { DestinationsTable } from '../discovery/destinations.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { parseAuthority } from '../http/authority.js';
import { unmeshedTargets } from './outbound-route.js';

export interface TcpRoute {
  resolve(accepted: Accepted): EndpointTarget | undefined;
  /** Counts a tunnel as load on its endpoint until the returned function is called. */
  onOpen(target: EndpointTarget): () => void;
}

/**
 * Where an outbound opaque connection goes. Raw TCP carries no Host. A connection iptables redirected here
 * (transparent interception) goes where the app sent it: a service's cluster IP is balanced over the service's
 * endpoints, a pod address discovery lists is that endpoint, any other address is dialled as it is. Without
 * interception only the TCP target ports (PROXY_OUTBOUND_TCP_TARGETS) know the destination: their authority is
 * balanced likewise, or dialled directly when it is not in discovery. Other opaque connections on the main
 * outbound port have no destination and are closed.
 */
export function routeTcp(table: DestinationsTable, random: () => number = Math.random): TcpRoute {
  const unmeshed = unmeshedTargets();
  const open = new Map<string, number>();
  const load = (endpoint: EndpointTarget): number => open.get(endpoint.destination.key) ?? 0;
  return {
    resolve: (accepted) => {
      const { original } = accepted;
      if (original) {
        const found = table.lookupAddress(original);
        if (found?.kind === 'service') return pickEndpoint(found.service.endpoints, load, random);
        return found?.kind === 'endpoint' ? found.endpoint : unmeshed(original.host, original.port);
      }
      const authority = accepted.logical === undefined ? null : parseAuthority(accepted.logical);
      if (!authority || authority.port === undefined) return undefined;
      const service = table.lookup(authority.host);
      if (!service) return unmeshed(authority.host, authority.port);
      return pickEndpoint(service.endpoints, load, random);
    },
    onOpen: (target) => {
      const { key } = target.destination;
      open.set(key, load(target) + 1);
      return () => {
        const count = (open.get(key) ?? 1) - 1;
        if (count <= 0) open.delete(key);
        else open.set(key, count);
      };
    },
  };
}
