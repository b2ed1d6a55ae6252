import type { AuthzKind } from '@meshviz/api-client';
import { AUTHZ_LABEL, type AuthzDenial, type AuthzResponse, type AuthzRow } from '@meshviz/mesh-types';
import {
  AUTHZ_ROW_LABELS,
  type AuthzScope,
  authzHttpAllowRates,
  authzHttpDenyRates,
  authzLatencyBuckets,
  authzResponseRates,
  authzTcpAllowRates,
  authzTcpDenyRates,
} from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../../prometheus/client.js';
import { histogramsBy } from '../../rates/latency.js';
import { keyOf, ratesBy } from '../../rates/response-rates.js';

/**
 * Six queries per call, sent together: allowed and denied HTTP requests, allowed and refused TCP connections,
 * inbound response rates (by classification) and latency buckets, each per server, route and authorization.
 */
export const AUTHZ_QUERY_COUNT = 6;

/** The authz_kind of audit authorizations: what they let in is what a deny would have refused. */
const AUDIT_KIND = 'audit';
/** The srv_kind of a port no Server covers; srv_name is then the default policy's name. */
const DEFAULT_SERVER_KIND = 'default';

type Server = AuthzRow['server'];
type Route = AuthzRow['route'];
type Authorization = NonNullable<AuthzRow['authorization']>;

const rowKey = keyOf(AUTHZ_ROW_LABELS);
const rate = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);
const serverOf = (l: Record<string, string>): Server => ({
  kind: l[AUTHZ_LABEL.srvKind] ?? '',
  name: l[AUTHZ_LABEL.srvName] ?? '',
  port: l[AUTHZ_LABEL.srvPort] ?? '',
});
const routeOf = (l: Record<string, string>): Route => ({ kind: l[AUTHZ_LABEL.routeKind] ?? '', name: l[AUTHZ_LABEL.routeName] ?? '' });
/** TCP decisions are per connection, not per route. */
const NO_ROUTE: Route = { kind: '', name: '' };
const key = (server: Server, route: Route, authorization: Authorization | null) =>
  rowKey({
    [AUTHZ_LABEL.srvKind]: server.kind,
    [AUTHZ_LABEL.srvName]: server.name,
    [AUTHZ_LABEL.srvPort]: server.port,
    [AUTHZ_LABEL.routeKind]: route.kind,
    [AUTHZ_LABEL.routeName]: route.name,
    [AUTHZ_LABEL.authzKind]: authorization?.kind ?? '',
    [AUTHZ_LABEL.authzName]: authorization?.name ?? '',
  });

/** Rows keyed by server × route × authorization; denied traffic is the row without one. */
class Rows {
  readonly byKey = new Map<string, AuthzRow>();

  row(server: Server, route: Route, authorization: Authorization | null): AuthzRow {
    // A denial's key has no authorization; an allow's always has one (the proxy names what let it in).
    const k = authorization === null ? `${key(server, route, null)}\u0000denied` : key(server, route, authorization);
    let row = this.byKey.get(k);
    if (!row) {
      row = {
        server,
        route,
        authorization,
        allowedRps: 0,
        deniedRps: 0,
        auditedRps: 0,
        successRate: null,
        latency: { p50: null, p95: null, p99: null },
      };
      this.byKey.set(k, row);
    }
    return row;
  }

  allowed(samples: readonly Sample[], route: (l: Record<string, string>) => Route): void {
    for (const s of samples) {
      const l = s.labels;
      const authorization = { kind: l[AUTHZ_LABEL.authzKind] ?? '', name: l[AUTHZ_LABEL.authzName] ?? '' };
      const row = this.row(serverOf(l), route(l), authorization);
      row.allowedRps += rate(s.value);
      if (authorization.kind === AUDIT_KIND) row.auditedRps += rate(s.value);
    }
  }

  denied(samples: readonly Sample[], route: (l: Record<string, string>) => Route, denials: Map<string, AuthzDenial>): void {
    for (const s of samples) {
      const l = s.labels;
      const server = serverOf(l);
      const r = route(l);
      this.row(server, r, null).deniedRps += rate(s.value);
      if (rate(s.value) === 0) continue;
      const clientId = l[AUTHZ_LABEL.clientId] ?? '';
      const k = `${key(server, r, null)}\u0000${clientId}`;
      const d = denials.get(k) ?? { server, route: r, clientId, deniedRps: 0 };
      d.deniedRps += rate(s.value);
      denials.set(k, d);
    }
  }
}

const text = (server: Server) => `${server.kind}/${server.name}`;
const byRow = (a: AuthzRow, b: AuthzRow): number =>
  text(a.server).localeCompare(text(b.server)) ||
  Number(a.server.port) - Number(b.server.port) ||
  a.server.port.localeCompare(b.server.port) ||
  // TCP rows (no route) after the server's routes.
  Number(a.route.name === '') - Number(b.route.name === '') ||
  `${a.route.kind}/${a.route.name}`.localeCompare(`${b.route.kind}/${b.route.name}`) ||
  // Denied traffic after what was allowed.
  Number(a.authorization === null) - Number(b.authorization === null) ||
  `${a.authorization?.kind}/${a.authorization?.name}`.localeCompare(`${b.authorization?.kind}/${b.authorization?.name}`);

/**
 * One resource's authorization traffic: a row per server × route × authorization with the requests it allowed
 * (and, for audit, what a deny would have refused), its success rate and latency from the inbound families; a row
 * per server × route without authorization for what was denied; TCP rows (route "") from the connection
 * counters. Default servers (ports no Server covers) are listed only while they see traffic, since every port of
 * every workload has one. Denials are listed by client identity, most refused first.
 */
export async function getAuthz(
  prom: PrometheusClient,
  scope: AuthzScope & { kind: AuthzKind },
  at: Date,
): Promise<AuthzResponse> {
  const [httpAllow, httpDeny, tcpAllow, tcpDeny, responses, buckets] = await Promise.all([
    prom.instant(authzHttpAllowRates(scope), at),
    prom.instant(authzHttpDenyRates(scope), at),
    prom.instant(authzTcpAllowRates(scope), at),
    prom.instant(authzTcpDenyRates(scope), at),
    prom.instant(authzResponseRates(scope), at),
    prom.instant(authzLatencyBuckets(scope), at),
  ]);
  const rows = new Rows();
  const denials = new Map<string, AuthzDenial>();
  rows.allowed(httpAllow, routeOf);
  rows.denied(httpDeny, routeOf, denials);
  rows.allowed(tcpAllow, () => NO_ROUTE);
  rows.denied(tcpDeny, () => NO_ROUTE, denials);

  const success = ratesBy(responses, rowKey);
  const latency = histogramsBy(buckets, rowKey);
  for (const row of rows.byKey.values()) {
    // Denied requests were answered by the proxy itself, and TCP connections have no responses.
    if (row.authorization === null || row.route.name === '') continue;
    const k = key(row.server, row.route, row.authorization);
    const r = success.get(k);
    if (r && Number.isFinite(r.total) && r.total > 0) row.successRate = Math.min(1, rate(r.success) / r.total);
    row.latency = latency.latency(k);
  }

  const shown = [...rows.byKey.values()].filter(
    (r) => r.server.kind !== DEFAULT_SERVER_KIND || r.allowedRps > 0 || r.deniedRps > 0,
  );
  return {
    resource: { kind: scope.kind, namespace: scope.namespace, name: scope.name },
    window: scope.window,
    rows: shown.sort(byRow),
    denials: [...denials.values()].sort(
      (a, b) => b.deniedRps - a.deniedRps || a.clientId.localeCompare(b.clientId) || text(a.server).localeCompare(text(b.server)),
    ),
  };
}
