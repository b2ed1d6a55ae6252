import {
  type BackendRef,
  CLUSTER_DOMAIN,
  type DestinationsFile,
  type FailureAccrual,
  NO_FAILURE_ACCRUAL,
  type OutboundRoute,
  type RouteConfigured,
  type RouteSpec,
  type ServiceDestination,
  serviceAuthority,
} from '@meshviz/mesh-types';

/**
 * Reading the configured outbound policy of a service out of the discovery table, as the proxies apply it
 * (packages/mesh-types: discovery.ts, outbound.ts).
 */

/** The table's entry of a service, found by its namespace and name whatever its key (with or without a port). */
export function serviceEntry(table: DestinationsFile, namespace: string, name: string): ServiceDestination | undefined {
  return Object.values(table.services).find((s) => s.namespace === namespace && s.service === name);
}

const withoutPort = (authority: string) => authority.replace(/:\d+$/, '');
const AUTHORITY = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.${CLUSTER_DOMAIN.replaceAll('.', '\\.')}$`);

/** A backend named by authority: the table's entry for it, else the name and namespace the authority spells. */
export function backendOf(table: DestinationsFile, authority: string): BackendRef {
  const host = withoutPort(authority);
  const entry = Object.entries(table.services).find(([key]) => withoutPort(key) === host)?.[1];
  if (entry) return { namespace: entry.namespace, name: entry.service, authority: serviceAuthority(entry.service, entry.namespace) };
  const m = AUTHORITY.exec(host);
  return { namespace: m?.[2] ?? '', name: m?.[1] ?? host, authority: host };
}

/** A route's name and backends: what a split is made of. */
type SplitRoute = Pick<OutboundRoute, 'kind' | 'name' | 'backends'>;

/**
 * The routes and backends the proxies apply to a service: those of its outbound configuration, or, without one,
 * what the contract says they do then: one default/default route to the service's own endpoints.
 */
function splitRoutes(entry: ServiceDestination): SplitRoute[] {
  if (entry.outbound) return entry.outbound.routes;
  return [{ kind: 'default', name: 'default', backends: [{ authority: serviceAuthority(entry.service, entry.namespace), weight: 1 }] }];
}

/** The service's failure accrual: its own, or none (the contract's default without an outbound configuration). */
export function failureAccrualOf(entry: ServiceDestination): FailureAccrual {
  return entry.outbound?.accrual ?? NO_FAILURE_ACCRUAL;
}

function fromOutbound(route: OutboundRoute): RouteConfigured {
  return { timeouts: route.timeouts, retry: route.retry, fault: route.fault };
}

/**
 * A route of the older route table: no timeouts of its own, and retries of 5xx and connection failures (of
 * idempotent requests) up to its limit, as the proxies' retry stage applies them.
 */
function fromRouteSpec(spec: RouteSpec): RouteConfigured {
  return {
    timeouts: { requestMs: null, responseMs: null, idleMs: null },
    retry: spec.retries ? { limit: spec.retries.limit, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null } : null,
    fault: null,
  };
}

/**
 * The configured policy of a service's routes by route name (the `rt_route` of the route_* families): the routes
 * of its outbound configuration when it has one, else those of its route table.
 */
export function configuredRoutes(entry: ServiceDestination): Map<string, RouteConfigured> {
  if (entry.outbound) return new Map(entry.outbound.routes.map((r) => [r.name, fromOutbound(r)]));
  return new Map((entry.routes ?? []).map((r) => [r.name, fromRouteSpec(r)]));
}

/** One configured backend of one route, with its weight's share of the route's weights (null when they sum to 0). */
export interface ConfiguredBackend {
  route: { kind: string; name: string };
  backend: BackendRef;
  weight: number;
  share: number | null;
}

/** Every route's backends and weights, as configured for a service. */
export function configuredSplit(table: DestinationsFile, entry: ServiceDestination): ConfiguredBackend[] {
  return splitRoutes(entry).flatMap((route) => {
    const total = route.backends.reduce((a, b) => a + b.weight, 0);
    return route.backends.map((b) => ({
      route: { kind: route.kind, name: route.name },
      backend: backendOf(table, b.authority),
      weight: b.weight,
      share: total > 0 ? b.weight / total : null,
    }));
  });
}

/** The pod of an endpoint address (`host:port` of a replica's inbound proxy), when the table lists it. */
export function podsByAddress(table: DestinationsFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of Object.values(table.services)) for (const e of s.endpoints) out.set(e.addr, e.pod);
  return out;
}
