import { AUTHZ_LABEL, type PortPolicy } from '@meshviz/mesh-types';
import type { AuthzDecision } from '../core/authz.js';
import type { TlsStatus } from '../core/tls-status.js';

export interface Named {
  readonly kind: string;
  readonly name: string;
}

const NONE: Named = { kind: '', name: '' };

/** The server a port's decisions name: srv_kind, srv_name, srv_port. */
export interface ServerRef {
  readonly kind: string;
  readonly name: string;
  readonly port: string;
}

export function serverRef(policy: PortPolicy): ServerRef {
  return { kind: policy.server.kind, name: policy.server.name, port: String(policy.port) };
}

/**
 * An HTTP decision: server, route (undefined: no route matched) and the authorization that allowed the request
 * (undefined: denied, or no route).
 */
export function httpDecision(
  server: ServerRef,
  route: Named | undefined,
  authorization: (Named & { readonly audit: boolean }) | undefined,
): AuthzDecision {
  const r = route ?? NONE;
  const a = authorization ?? NONE;
  const labels = {
    [AUTHZ_LABEL.srvKind]: server.kind,
    [AUTHZ_LABEL.srvName]: server.name,
    [AUTHZ_LABEL.srvPort]: server.port,
    [AUTHZ_LABEL.routeKind]: r.kind,
    [AUTHZ_LABEL.routeName]: r.name,
    [AUTHZ_LABEL.authzKind]: a.kind,
    [AUTHZ_LABEL.authzName]: a.name,
  };
  return {
    outcome: route === undefined ? 'route_not_found' : authorization === undefined ? 'deny' : 'allow',
    audit: authorization?.audit ?? false,
    labels,
    key: Object.values(labels).join('\u0000'),
    serverKey: serverKey(server),
    server: `${server.kind}/${server.name}`,
    route: route ? `${route.kind}/${route.name}` : '',
    authorization: authorization ? `${authorization.kind}/${authorization.name}` : null,
  };
}

/** An opaque connection's decision: server and the authorization that allowed it (undefined: denied). */
export function tcpDecision(server: ServerRef, authorization: (Named & { readonly audit: boolean }) | undefined): AuthzDecision {
  const a = authorization ?? NONE;
  const labels = {
    [AUTHZ_LABEL.srvKind]: server.kind,
    [AUTHZ_LABEL.srvName]: server.name,
    [AUTHZ_LABEL.srvPort]: server.port,
    [AUTHZ_LABEL.authzKind]: a.kind,
    [AUTHZ_LABEL.authzName]: a.name,
  };
  return {
    outcome: authorization === undefined ? 'deny' : 'allow',
    audit: authorization?.audit ?? false,
    labels,
    key: `tcp\u0000${Object.values(labels).join('\u0000')}`,
    serverKey: serverKey(server),
    server: `${server.kind}/${server.name}`,
    route: '',
    authorization: authorization ? `${authorization.kind}/${authorization.name}` : null,
  };
}

function serverKey(server: ServerRef): string {
  return `${server.kind}\u0000${server.name}\u0000${server.port}`;
}

/**
 * Why a request or connection was refused, for tap and logs: the server, and the client's identity or that it
 * has none (no mTLS). Built only when someone looks, never on the request path.
 */
export function refusalReason(decision: AuthzDecision, tls: TlsStatus, peer: string): string {
  if (decision.outcome === 'route_not_found') return `no route of ${decision.server} matches the request`;
  const client = tls.secured ? `client ${tls.peerId}` : `a client without mTLS (no mTLS: ${tls.reason})`;
  const host = peer.slice(0, Math.max(0, peer.lastIndexOf(':')));
  return `no authorization of ${decision.server} allows ${client} from ${host || peer}`;
}
