import type { AuthzDenial, AuthzRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import {
  authorizationLabel,
  deniedClient,
  routeLabel,
  serverLabel,
  sortAuthzRows,
  sortDenials,
  totalDeniedRps,
} from './authz-labels';

const latency = { p50: null, p95: null, p99: null };

function row(server: string, route: string, authorization: AuthzRow['authorization'], deniedRps = 0): AuthzRow {
  return {
    server: { kind: 'server', name: server, port: '8080' },
    route: { kind: 'HTTPRoute', name: route },
    authorization,
    allowedRps: authorization ? 1 : 0,
    deniedRps,
    auditedRps: 0,
    successRate: authorization ? 1 : null,
    latency,
  };
}

describe('authorization labels', () => {
  it('names a default server by its policy, any other by kind and name', () => {
    expect(serverLabel({ kind: 'default', name: 'all-unauthenticated', port: '8080' })).toBe('default:all-unauthenticated');
    expect(serverLabel({ kind: 'server', name: 'payments-http', port: '8080' })).toBe('server/payments-http');
  });

  it('names routes by kind and name, the implicit ones by name', () => {
    expect(routeLabel({ kind: 'default', name: 'default' })).toBe('default');
    expect(routeLabel({ kind: 'default', name: 'probe' })).toBe('probe');
    expect(routeLabel({ kind: 'HTTPRoute', name: 'charge' })).toBe('HTTPRoute/charge');
  });

  it('names authorizations by kind and name, defaults by their own name, and none as a dash', () => {
    expect(authorizationLabel({ kind: 'authorizationpolicy', name: 'web-only' })).toBe('authorizationpolicy/web-only');
    expect(authorizationLabel({ kind: 'default', name: 'default:probe' })).toBe('default:probe');
    expect(authorizationLabel({ kind: 'audit', name: 'audit' })).toBe('audit/audit');
    expect(authorizationLabel(null)).toBe('—');
  });

  it('tells identities from clients without mTLS and from the identities past the proxy’s limit', () => {
    expect(deniedClient('scraper.outside.serviceaccount.identity.meshviz.cluster.local')).toEqual({
      kind: 'identity',
      id: 'scraper.outside.serviceaccount.identity.meshviz.cluster.local',
    });
    expect(deniedClient('')).toEqual({ kind: 'no-identity' });
    expect(deniedClient('other')).toEqual({ kind: 'other' });
  });
});

describe('order and totals', () => {
  it('groups rows by server and route, allowed before refused', () => {
    const rows = [row('b', 'x', null, 2), row('a', 'y', { kind: 'authorizationpolicy', name: 'p' }), row('b', 'x', { kind: 'authorizationpolicy', name: 'q' })];
    expect(sortAuthzRows(rows).map((r) => `${r.server.name} ${r.route.name} ${authorizationLabel(r.authorization)}`)).toEqual([
      'a y authorizationpolicy/p',
      'b x authorizationpolicy/q',
      'b x —',
    ]);
    expect(totalDeniedRps(rows)).toBe(2);
  });

  it('lists the busiest refused clients first', () => {
    const denial = (clientId: string, deniedRps: number): AuthzDenial => ({
      server: { kind: 'server', name: 's', port: '8080' },
      route: { kind: 'default', name: 'default' },
      clientId,
      deniedRps,
    });
    expect(sortDenials([denial('a', 0.5), denial('b', 3), denial('', 1)]).map((d) => d.clientId)).toEqual(['b', '', 'a']);
  });
});
