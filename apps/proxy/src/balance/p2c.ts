import { whenClosed } from '../core/body-close.js';
import type { Destination, Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { RouteMatcher } from '../route/route-table.js';

/** The balance stage's target: a service known to discovery and its current endpoints. */
export interface ServiceTarget {
  /** The table key that matched, e.g. `catalog.bookshop.svc.cluster.local`. */
  readonly authority: string;
  readonly endpoints: readonly EndpointTarget[];
  /** How metrics name the service when no endpoint was chosen (no_endpoints). */
  readonly destination: Destination;
  /** The service's route table from discovery (route_* metrics and retries of its callers). */
  readonly routes: RouteMatcher;
}

/**
 * Power of two choices: sample two endpoints, take the one with fewer requests in flight. Nearly as good as
 * scanning for the least loaded, without the herd behaviour of always picking the same minimum.
 */
export function pickEndpoint(
  endpoints: readonly EndpointTarget[],
  load: (endpoint: EndpointTarget) => number,
  random: () => number,
): EndpointTarget | undefined {
  if (endpoints.length <= 1) return endpoints[0];
  const first = Math.floor(random() * endpoints.length);
  // Second index drawn from the others, so the two candidates always differ.
  const second = (first + 1 + Math.floor(random() * (endpoints.length - 1))) % endpoints.length;
  const a = endpoints[first]!;
  const b = endpoints[second]!;
  return load(b) < load(a) ? b : a;
}

/**
 * Balance stage: picks an endpoint per request and counts it as in flight until the response body closes
 * (delivered, reset or abandoned), so a slow endpoint receives less new work.
 */
export function balance(next: Stage<EndpointTarget>, random: () => number = Math.random): Stage<ServiceTarget> {
  // Keyed by destination key; entries at zero are deleted so departed endpoints leave nothing behind.
  const inFlight = new Map<string, number>();
  const load = (endpoint: EndpointTarget): number => inFlight.get(endpoint.destination.key) ?? 0;
  const release = (key: string): void => {
    const count = (inFlight.get(key) ?? 1) - 1;
    if (count <= 0) inFlight.delete(key);
    else inFlight.set(key, count);
  };

  return async (target, request) => {
    const endpoint = pickEndpoint(target.endpoints, load, random);
    if (!endpoint) throw new ProxyError('no_endpoints', { destination: target.destination });
    const { key } = endpoint.destination;
    inFlight.set(key, load(endpoint) + 1);
    try {
      const response = await next(endpoint, request);
      whenClosed(response.body, () => release(key));
      return response;
    } catch (error) {
      release(key);
      throw error;
    }
  };
}
