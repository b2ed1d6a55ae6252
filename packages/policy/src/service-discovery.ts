import type { DestinationsFile, ServiceDestination } from '@meshviz/mesh-types';
import { compareNames } from './coverage.js';

/**
 * Services as discovery (the destinations table) lists them. A table key is an authority, with or without a port
 * (`catalog.bookshop.svc.cluster.local`, `…:8080`); an entry without a port stands for every port of its Service,
 * which is how the local runtime lists them.
 */
export interface DiscoveredService {
  readonly authority: string;
  readonly port: number | undefined;
  readonly destination: ServiceDestination;
}

export function authorityPort(authority: string): number | undefined {
  const m = /:(\d{1,5})$/.exec(authority);
  return m ? Number(m[1]) : undefined;
}

/** The table's entries of one Service, by authority. */
export function discoveredService(destinations: DestinationsFile, namespace: string, name: string): DiscoveredService[] {
  return Object.entries(destinations.services)
    .filter(([, d]) => d.namespace === namespace && d.service === name)
    .map(([authority, destination]) => ({ authority, port: authorityPort(authority), destination }))
    .sort((a, b) => compareNames(a.authority, b.authority));
}

/** Whether a parent ref (with its optional port) covers an entry: a port-less entry stands for every port. */
export function parentCovers(port: number | undefined, entry: DiscoveredService): boolean {
  return port === undefined || entry.port === undefined || entry.port === port;
}

/** `port 8080` or `ports 8080, 9090`. */
export const portList = (entries: readonly DiscoveredService[]): string =>
  `port${entries.length > 1 ? 's' : ''} ${entries.map((e) => e.port).join(', ')}`;

/**
 * The authority a backend ref names: the entry of that port, else the port-less entry; without a port, the
 * port-less entry or the only one. Otherwise why not, in words, and the backend ref's field at fault.
 */
export function resolveBackend(
  destinations: DestinationsFile,
  namespace: string,
  name: string,
  port: number | undefined,
): { authority: string } | { problem: string; field: 'name' | 'port' } {
  const entries = discoveredService(destinations, namespace, name);
  if (entries.length === 0) return { problem: `Service ${namespace}/${name} is not in discovery`, field: 'name' };
  const portless = entries.find((e) => e.port === undefined);
  if (port !== undefined) {
    const exact = entries.find((e) => e.port === port) ?? portless;
    if (exact) return { authority: exact.authority };
    return { problem: `Service ${namespace}/${name} is in discovery on ${portList(entries)}, not ${port}`, field: 'port' };
  }
  if (portless) return { authority: portless.authority };
  if (entries.length === 1) return { authority: entries[0]!.authority };
  return { problem: `Service ${namespace}/${name} is in discovery on ${portList(entries)}: name the port`, field: 'port' };
}
