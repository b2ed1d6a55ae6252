import { AUTHZ_CLIENT_ID_LIMIT, AUTHZ_OTHER_CLIENTS, type AuthzDenial, type AuthzRow } from '@meshviz/mesh-types';

type Server = AuthzRow['server'];
type Named = { kind: string; name: string };

/**
 * What the tables call a server: `default:<policy>` for a port no Server covers (its name is the default policy),
 * else `<kind>/<name>` (e.g. `server/payments-http`).
 */
export function serverLabel(server: Server): string {
  return server.kind === 'default' ? `default:${server.name}` : `${server.kind}/${server.name}`;
}

/** A route as `<kind>/<name>` (`HTTPRoute/charge`); the implicit routes of a port read `default` and `probe`. */
export function routeLabel(route: Named): string {
  return route.kind === 'default' ? route.name : `${route.kind}/${route.name}`;
}

/**
 * An authorization as `<kind>/<name>` (`authorizationpolicy/ledger-only`). Defaults already carry their kind in
 * their name (`default:all-authenticated`, `default:probe`), so they are shown by name alone; null (denied) is "—".
 */
export function authorizationLabel(authorization: Named | null): string {
  if (authorization === null) return '—';
  if (authorization.kind === 'default' && authorization.name.startsWith('default:')) return authorization.name;
  return `${authorization.kind}/${authorization.name}`;
}

/** Who a denial came from: an mTLS identity, a client without one, or the identities past the proxy's limit. */
export type DeniedClient = { kind: 'identity'; id: string } | { kind: 'no-identity' } | { kind: 'other' };

export function deniedClient(clientId: string): DeniedClient {
  if (clientId === '') return { kind: 'no-identity' };
  if (clientId === AUTHZ_OTHER_CLIENTS) return { kind: 'other' };
  return { kind: 'identity', id: clientId };
}

export const NO_IDENTITY_TEXT = 'no mTLS identity (plaintext client)';
export const OTHER_CLIENTS_TEXT = `other identities (past the proxy’s ${AUTHZ_CLIENT_ID_LIMIT} per server)`;

/** One server's rows together, its routes in order, allowed traffic before what nothing allowed. */
export function sortAuthzRows(rows: readonly AuthzRow[]): AuthzRow[] {
  return [...rows].sort(
    (a, b) =>
      serverLabel(a.server).localeCompare(serverLabel(b.server)) ||
      a.server.port.localeCompare(b.server.port, undefined, { numeric: true }) ||
      routeLabel(a.route).localeCompare(routeLabel(b.route)) ||
      Number(a.authorization === null) - Number(b.authorization === null) ||
      authorizationLabel(a.authorization).localeCompare(authorizationLabel(b.authorization)),
  );
}

/** The busiest refused clients first. */
export function sortDenials(denials: readonly AuthzDenial[]): AuthzDenial[] {
  return [...denials].sort(
    (a, b) =>
      b.deniedRps - a.deniedRps ||
      a.clientId.localeCompare(b.clientId) ||
      serverLabel(a.server).localeCompare(serverLabel(b.server)) ||
      routeLabel(a.route).localeCompare(routeLabel(b.route)),
  );
}

/** Requests per second refused over all rows (what the section's summary line says). */
export function totalDeniedRps(rows: readonly AuthzRow[]): number {
  return rows.reduce((sum, row) => sum + row.deniedRps, 0);
}
