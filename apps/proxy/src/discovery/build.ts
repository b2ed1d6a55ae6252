import { type DestinationsFile, type FailureAccrual, NO_FAILURE_ACCRUAL } from '@meshviz/mesh-types';
import { formatHostPort, parseHostPort } from '@meshviz/runtime';
import { type BreakerListener, EndpointPool, type ServiceRef } from '../balance/pool.js';
import type { Destination } from '../core/stage.js';
import { noTls, securedTls } from '../core/tls-status.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { parseAuthority } from '../http/authority.js';
import { RetryBudget } from '../retry/budget.js';
import { compileOutbound, type OutboundRoutes } from '../route/route-policy.js';
import { compileRoutes, NO_ROUTES, type RouteMatcher } from '../route/route-table.js';
import type { Backend } from '../route/target.js';

const NOT_FROM_DISCOVERY = noTls('not_provided_by_service_discovery');

/** A service known to discovery, as the outbound side routes to it. */
export interface ServiceTarget {
  /** The table key that matched, e.g. `catalog.bookshop.svc.cluster.local`. */
  readonly authority: string;
  readonly endpoints: readonly EndpointTarget[];
  /** How metrics name the service when no endpoint was chosen (no_endpoints). */
  readonly destination: Destination;
  /** The service's route table (`routes`: route_* metrics and retries), used when it has no outbound config. */
  readonly routes: RouteMatcher;
  /** Its outbound routes (`outbound`), which then decide everything: backends, timeouts, retries, faults. */
  readonly outbound: OutboundRoutes | undefined;
  /** Its own endpoints' balancer, for requests without an outbound route. */
  readonly backend: Backend;
}

/** What an address the app dialled stands for (transparent interception). */
export type AddressTarget = { readonly kind: 'service'; readonly service: ServiceTarget } | { readonly kind: 'endpoint'; readonly endpoint: EndpointTarget };

/** One discovery entry, parsed. */
interface Entry {
  readonly host: string;
  readonly ref: ServiceRef;
  readonly endpoints: readonly EndpointTarget[];
  readonly destination: Destination;
  readonly accrual: FailureAccrual;
}

/**
 * Builds a table in two steps so that a bad entry changes nothing: everything is parsed and compiled first (pools
 * are looked up or made, but not touched), and only `commit` hands the pools their new endpoints. Throws an Error
 * naming the entry and field that is wrong.
 */
export class TableBuild {
  readonly services = new Map<string, ServiceTarget>();
  /** Transparent interception's index: a service's cluster IP, or an endpoint's host:port, to what it stands for. */
  readonly addresses = new Map<string, AddressTarget>();
  /** Problems that do not stop the table (a backend discovery does not list). */
  readonly warnings: string[] = [];
  /** Retry budgets of the new table's outbound routes, by route key. */
  readonly budgets = new Map<string, RetryBudget>();
  private readonly pools = new Map<string, { pool: EndpointPool; entry: Entry }>();

  constructor(
    private readonly previous: ReadonlyMap<string, EndpointPool>,
    private readonly previousBudgets: ReadonlyMap<string, RetryBudget>,
    private readonly onTransition: BreakerListener,
  ) {}

  build(file: DestinationsFile): void {
    const entries = new Map<string, Entry>();
    for (const [key, service] of Object.entries(file.services)) {
      const authority = parseAuthority(key);
      if (!authority) throw new Error(`services key "${key}" is not a valid authority`);
      entries.set(authority.host, parseEntry(authority.host, service));
    }
    for (const [key, service] of Object.entries(file.services)) {
      const entry = entries.get(parseAuthority(key)!.host)!;
      let routes = NO_ROUTES;
      try {
        routes = compileRoutes(service.routes ?? []);
      } catch (error) {
        throw new Error(`routes of ${entry.host}: ${(error as Error).message}`);
      }
      const resolvers = {
        backend: (authority: string, where: string) => this.backend(entry, entries, authority, where),
        budget: (key: string) => this.budget(key),
      };
      const outbound = service.outbound ? compileOutbound(entry.ref, entry.destination, service.outbound, resolvers, `outbound of ${entry.host}`) : undefined;
      const target: ServiceTarget = {
        authority: entry.host,
        endpoints: entry.endpoints,
        destination: entry.destination,
        routes,
        outbound,
        backend: { kind: 'balanced', pool: this.pool(entry, entry) },
      };
      this.services.set(entry.host, target);
      this.index(target, service.clusterIPs ?? []);
    }
  }

  /** Cluster IPs name their service; an endpoint address listed by two services is the same pod either way. */
  private index(service: ServiceTarget, clusterIPs: readonly string[]): void {
    for (const ip of clusterIPs) {
      const key = formatHostPort({ host: ip, port: 0 }).replace(/:0$/, '');
      const taken = this.addresses.get(key);
      if (taken?.kind === 'service' && taken.service.authority !== service.authority) {
        throw new Error(`clusterIPs of ${service.authority}: ${ip} is already the address of ${taken.service.authority}`);
      }
      this.addresses.set(key, { kind: 'service', service });
    }
    for (const endpoint of service.endpoints) {
      if (!this.addresses.has(endpoint.destination.targetAddr)) this.addresses.set(endpoint.destination.targetAddr, { kind: 'endpoint', endpoint });
    }
  }

  /** Gives every pool of the new table its endpoints, and stops the pools it no longer has. */
  commit(now: number): Map<string, EndpointPool> {
    const pools = new Map<string, EndpointPool>();
    for (const [key, { pool, entry }] of this.pools) {
      pool.update(entry.endpoints, entry.accrual, entry.destination, now);
      pools.set(key, pool);
    }
    for (const [key, pool] of this.previous) if (!pools.has(key)) pool.close();
    return pools;
  }

  private backend(parent: Entry, entries: ReadonlyMap<string, Entry>, authority: string, where: string) {
    const parsed = parseAuthority(authority);
    if (!parsed) throw new Error(`${where}: "${authority}" is not a valid authority`);
    let entry = entries.get(parsed.host);
    if (!entry) {
      this.warnings.push(`${where}: ${authority} is not in discovery; its share of the route's requests is answered 503 no_endpoints`);
      entry = unknownEntry(parsed.host);
    }
    return { pool: this.pool(parent, entry), ref: entry.ref, key: entry.host };
  }

  private budget(key: string): RetryBudget {
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = this.previousBudgets.get(key) ?? new RetryBudget();
      this.budgets.set(key, budget);
    }
    return budget;
  }

  /** The balancer of `backend` as seen from `parent`: the previous table's when there was one, else a new one. */
  private pool(parent: Entry, backend: Entry): EndpointPool {
    const key = [parent.host, backend.host, parent.ref.namespace, parent.ref.name, backend.ref.namespace, backend.ref.name].join('\u0000');
    const planned = this.pools.get(key);
    if (planned) return planned.pool;
    const pool =
      this.previous.get(key) ??
      new EndpointPool(key, parent.ref, backend.ref, backend.destination, backend.accrual, this.onTransition);
    this.pools.set(key, { pool, entry: backend });
    return pool;
  }
}

function parseEntry(host: string, service: DestinationsFile['services'][string]): Entry {
  const endpoints: EndpointTarget[] = service.endpoints.map((endpoint) => {
    const addr = parseHostPort(endpoint.addr);
    if (!addr) throw new Error(`endpoint addr "${endpoint.addr}" of ${host} is not host:port`);
    const targetAddr = formatHostPort(addr);
    const meta = {
      service: service.service,
      namespace: endpoint.namespace,
      deployment: endpoint.deployment,
      pod: endpoint.pod,
    };
    const tls = endpoint.identity ? securedTls(endpoint.identity) : NOT_FROM_DISCOVERY;
    const key = ['ep', targetAddr, meta.namespace, meta.service, meta.deployment, meta.pod, tls.key].join('\u0000');
    return { addr, destination: { key, targetAddr, meta, tls } };
  });
  const meta = { service: service.service, namespace: service.namespace };
  return {
    host,
    ref: { namespace: service.namespace, name: service.service },
    endpoints,
    destination: { key: ['svc', meta.namespace, meta.service].join('\u0000'), targetAddr: '', meta },
    accrual: service.outbound?.accrual ?? NO_FAILURE_ACCRUAL,
  };
}

/** A backend discovery does not list: no endpoints, named by its authority. */
function unknownEntry(host: string): Entry {
  return {
    host,
    ref: { namespace: '', name: host },
    endpoints: [],
    destination: { key: ['svc', '', host].join('\u0000'), targetAddr: '' },
    accrual: NO_FAILURE_ACCRUAL,
  };
}
