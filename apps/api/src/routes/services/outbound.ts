import {
  type BackendEndpoints,
  type BackendRef,
  type ConfiguredSource,
  type DestinationsFile,
  type FailureAccrual,
  OUTBOUND_LABEL,
  type SplitBackend,
  serviceAuthority,
  TARGET_LABEL,
} from '@meshviz/mesh-types';
import { balancerEndpoints, breakerTripRates, type ParentScope, routeBackendRequestRates, routeBackendResponseRates } from '@meshviz/promql';
import { backendOf, type ConfiguredBackend, configuredSplit, failureAccrualOf, podsByAddress, serviceEntry } from '../../destinations/configured.js';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { PrometheusClient, Sample } from '../../prometheus/client.js';
import { succeeded } from '../../rates/outcome.js';
import type { SplitSample } from '../../topology/splits.js';

/** Queries of a service's outbound side: backend requests and responses per route, balancer endpoints, breaker trips. */
export const SERVICE_OUTBOUND_QUERY_COUNT = 4;

export interface ServiceOutbound {
  split: SplitBackend[];
  endpoints: BackendEndpoints[];
  failureAccrual: FailureAccrual | null;
  configured: ConfiguredSource;
  /** The split per backend, all routes together, for the neighbourhood graph's split edges. */
  graphSplits: SplitSample[];
  /** The discovery table as read for this call (null when not known). */
  configuredTable: DestinationsFile | null;
}

const L = OUTBOUND_LABEL;
const finite = (v: number) => (Number.isFinite(v) ? v : 0);
const backendKey = (b: { namespace: string; name: string }) => `${b.namespace}/${b.name}`;
const routeKey = (kind: string, name: string) => `${kind}\u0000${name}`;

/** A backend as its labels name it, with the authority the table gives it (else the one its name spells). */
function labelledBackend(l: Record<string, string>, table: DestinationsFile | null): BackendRef {
  const namespace = l[L.backendNamespace] ?? '';
  const name = l[L.backendName] ?? '';
  return table ? { ...backendOf(table, serviceAuthority(name, namespace)), namespace, name } : { namespace, name, authority: serviceAuthority(name, namespace) };
}

interface Cell {
  route: { kind: string; name: string };
  backend: BackendRef;
  requests: number | null;
  responses: number;
  success: number;
  configured?: ConfiguredBackend;
}

function splitRows(requests: readonly Sample[], responses: readonly Sample[], configured: readonly ConfiguredBackend[], table: DestinationsFile | null) {
  const cells = new Map<string, Cell>();
  const cell = (route: Cell['route'], backend: BackendRef): Cell => {
    const key = `${routeKey(route.kind, route.name)}\u0000${backendKey(backend)}`;
    let c = cells.get(key);
    if (!c) {
      c = { route, backend, requests: null, responses: 0, success: 0 };
      cells.set(key, c);
    }
    return c;
  };
  const routeOf = (l: Record<string, string>) => ({ kind: l[L.routeKind] ?? '', name: l[L.routeName] ?? '' });
  for (const c of configured) cell(c.route, c.backend).configured = c;
  for (const s of requests) {
    if (!s.labels[L.backendName]) continue;
    const c = cell(routeOf(s.labels), labelledBackend(s.labels, table));
    c.requests = (c.requests ?? 0) + finite(s.value);
  }
  for (const s of responses) {
    if (!s.labels[L.backendName]) continue;
    const c = cell(routeOf(s.labels), labelledBackend(s.labels, table));
    c.responses += finite(s.value);
    if (succeeded(s.labels)) c.success += finite(s.value);
  }
  const routeTotals = new Map<string, number>();
  for (const c of cells.values()) {
    const k = routeKey(c.route.kind, c.route.name);
    routeTotals.set(k, (routeTotals.get(k) ?? 0) + (c.requests ?? 0));
  }
  const rows: SplitBackend[] = [...cells.values()].map((c) => {
    const total = routeTotals.get(routeKey(c.route.kind, c.route.name)) ?? 0;
    return {
      route: c.route,
      backend: c.backend,
      configuredWeight: c.configured?.weight ?? null,
      configuredShare: c.configured?.share ?? null,
      measuredShare: total > 0 ? (c.requests ?? 0) / total : null,
      rps: c.requests !== null && c.requests > 0 ? c.requests : null,
      successRate: c.responses > 0 ? Math.min(1, c.success / c.responses) : null,
    };
  });
  rows.sort(
    (a, b) =>
      a.route.name.localeCompare(b.route.name) ||
      a.route.kind.localeCompare(b.route.kind) ||
      (b.configuredWeight ?? -1) - (a.configuredWeight ?? -1) ||
      backendKey(a.backend).localeCompare(backendKey(b.backend)),
  );
  return { rows, cells: [...cells.values()] };
}

/** Per backend: the fewest ready and most pending endpoints any calling proxy holds, and the trips of the window. */
function endpointRows(
  gauges: readonly Sample[],
  trips: readonly Sample[],
  configured: readonly ConfiguredBackend[],
  table: DestinationsFile | null,
  windowSeconds: number,
): BackendEndpoints[] {
  const pods = table ? podsByAddress(table) : new Map<string, string>();
  const rows = new Map<string, { backend: BackendRef; perProxy: Map<string, { ready: number; pending: number }>; trips: BackendEndpoints['trips'] }>();
  const row = (backend: BackendRef) => {
    let r = rows.get(backendKey(backend));
    if (!r) {
      r = { backend, perProxy: new Map(), trips: [] };
      rows.set(backendKey(backend), r);
    }
    return r;
  };
  for (const c of configured) row(c.backend);
  for (const s of gauges) {
    if (!s.labels[L.backendName] || !Number.isFinite(s.value)) continue;
    const proxy = `${s.labels[TARGET_LABEL.namespace] ?? ''}/${s.labels[TARGET_LABEL.pod] ?? ''}`;
    const r = row(labelledBackend(s.labels, table));
    const counts = r.perProxy.get(proxy) ?? { ready: 0, pending: 0 };
    const state = s.labels[L.endpointState];
    if (state === 'ready') counts.ready += s.value;
    else if (state === 'pending') counts.pending += s.value;
    r.perProxy.set(proxy, counts);
  }
  for (const s of trips) {
    const n = finite(s.value) * windowSeconds;
    if (!s.labels[L.backendName] || n <= 0) continue;
    const endpoint = s.labels[L.endpoint] ?? '';
    row(labelledBackend(s.labels, table)).trips.push({ endpoint, pod: pods.get(endpoint) ?? null, trips: n });
  }
  return [...rows.values()]
    .map((r) => {
      const proxies = [...r.perProxy.values()];
      return {
        backend: r.backend,
        ready: proxies.length === 0 ? null : Math.min(...proxies.map((p) => p.ready)),
        pending: proxies.length === 0 ? null : Math.max(...proxies.map((p) => p.pending)),
        proxies: proxies.length,
        trips: r.trips.sort((a, b) => b.trips - a.trips || a.endpoint.localeCompare(b.endpoint)),
      };
    })
    .sort((a, b) => backendKey(a.backend).localeCompare(backendKey(b.backend)));
}

/**
 * A service's outbound side as its callers' proxies handle it: the split of each route (configured weight beside
 * measured share), each backend's endpoints in the callers' balancers and the breaker trips of the window, and
 * the service's failure accrual. Four queries, sent together, and the discovery table for what is configured.
 */
export async function fetchServiceOutbound(
  prom: PrometheusClient,
  scope: ParentScope,
  windowSeconds: number,
  at: Date,
  destinations: DestinationsSource,
): Promise<ServiceOutbound> {
  const [requests, responses, gauges, trips, read] = await Promise.all([
    prom.instant(routeBackendRequestRates(scope), at),
    prom.instant(routeBackendResponseRates(scope), at),
    prom.instant(balancerEndpoints(scope), at),
    prom.instant(breakerTripRates(scope), at),
    destinations.read(),
  ]);
  const entry = read.table ? serviceEntry(read.table, scope.namespace, scope.service) : undefined;
  const configured = read.table && entry ? configuredSplit(read.table, entry) : [];
  const configuredSource: ConfiguredSource =
    read.table === null || entry !== undefined
      ? read.source
      : { known: false, reason: `the destinations file has no entry for ${serviceAuthority(scope.service, scope.namespace)}` };
  const { rows, cells } = splitRows(requests, responses, configured, read.table);
  const parent = { namespace: scope.namespace, name: scope.service };
  const perBackend = new Map<string, SplitSample>();
  for (const c of cells) {
    const s: SplitSample = perBackend.get(backendKey(c.backend)) ?? {
      parent,
      backend: { namespace: c.backend.namespace, name: c.backend.name },
      routes: [],
      rps: null,
      responses: null,
      success: null,
    };
    if (c.requests !== null) s.rps = (s.rps ?? 0) + c.requests;
    if (c.requests !== null && c.requests > 0) s.routes = [...s.routes, `${c.route.kind}/${c.route.name}`].sort();
    if (c.responses > 0) {
      s.responses = (s.responses ?? 0) + c.responses;
      s.success = (s.success ?? 0) + c.success;
    }
    if (c.requests !== null || c.responses > 0) perBackend.set(backendKey(c.backend), s);
  }
  return {
    split: rows,
    endpoints: endpointRows(gauges, trips, configured, read.table, windowSeconds),
    failureAccrual: entry ? failureAccrualOf(entry) : null,
    configured: configuredSource,
    graphSplits: [...perBackend.values()],
    configuredTable: read.table,
  };
}
