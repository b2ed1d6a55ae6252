import { AUTHZ_CLIENT_ID_LIMIT, AUTHZ_LABEL, AUTHZ_OTHER_CLIENTS, LABEL, TLS_STATUS } from '@meshviz/mesh-types';
import type { AuthzDecision } from '../core/authz.js';
import type { TlsStatus } from '../core/tls-status.js';
import { Children, type Labels, type Sweepable, SweptEntries } from './children.js';
import type { CounterChild, LightCounter } from './light-metrics.js';

/**
 * inbound_http_authz_allow_total: srv_*, route_*, authz_*, tls. inbound_http_authz_deny_total: srv_*, route_*,
 * client_id, tls, no_tls_reason. inbound_http_route_not_found_total: srv_*, route_* (""). inbound_tcp_authz_allow_total:
 * srv_*, authz_*, tls. inbound_tcp_authz_deny_total: srv_*, client_id, tls, no_tls_reason.
 */
export interface AuthzFamilies {
  readonly httpAllow: LightCounter;
  readonly httpDeny: LightCounter;
  readonly httpRouteNotFound: LightCounter;
  readonly tcpAllow: LightCounter;
  readonly tcpDeny: LightCounter;
}

/**
 * The authorization counters, per server. Allowed requests cost a Map lookup by the decision's key and no
 * allocation; denials name the client (`client_id`), bounded to AUTHZ_CLIENT_ID_LIMIT identities per server, the
 * rest counted as AUTHZ_OTHER_CLIENTS, so a flood of distinct clients cannot grow /metrics without bound. Idle
 * series are removed after PROXY_METRICS_IDLE_TIMEOUT like the other families.
 */
export class AuthzSeries {
  private readonly servers: SweptEntries<ServerEntry>;

  constructor(
    private readonly families: AuthzFamilies,
    idleTimeoutMs: number,
  ) {
    this.servers = new SweptEntries(idleTimeoutMs);
  }

  /** Counts an HTTP request's decision. */
  http(decision: AuthzDecision, tls: TlsStatus): void {
    const server = this.server(decision);
    if (decision.outcome === 'allow') server.allow(this.families.httpAllow, decision, tls);
    else if (decision.outcome === 'deny') server.deny(this.families.httpDeny, decision, tls, true);
    else server.notFound(this.families.httpRouteNotFound, decision);
  }

  /** Counts an opaque connection's decision. */
  tcp(decision: AuthzDecision, tls: TlsStatus): void {
    const server = this.server(decision);
    if (decision.outcome === 'allow') server.allow(this.families.tcpAllow, decision, tls);
    else server.deny(this.families.tcpDeny, decision, tls, false);
  }

  sweep(now: number): void {
    this.servers.sweep(now);
  }

  close(): void {
    this.servers.close();
  }

  private server(decision: AuthzDecision): ServerEntry {
    return this.servers.get(decision.serverKey, () => new ServerEntry());
  }
}

interface Allowed {
  readonly family: LightCounter;
  secured: { readonly labels: Labels; readonly child: CounterChild } | undefined;
  plain: { readonly labels: Labels; readonly child: CounterChild } | undefined;
  lastUsed: number;
}

class ServerEntry implements Sweepable {
  private readonly allowed = new Map<string, Allowed>();
  private readonly refused = new Map<LightCounter, Children<CounterChild>>();
  /** Client identities named in deny series, with when each was last seen. */
  private readonly clients = new Map<string, number>();

  allow(family: LightCounter, decision: AuthzDecision, tls: TlsStatus): void {
    let entry = this.allowed.get(decision.key);
    if (!entry) {
      entry = { family, secured: undefined, plain: undefined, lastUsed: 0 };
      this.allowed.set(decision.key, entry);
    }
    entry.lastUsed = performance.now();
    if (tls.secured) {
      entry.secured ??= bind(family, { ...decision.labels, [LABEL.tls]: TLS_STATUS.secured });
      entry.secured.child.inc();
    } else {
      entry.plain ??= bind(family, { ...decision.labels, [LABEL.tls]: TLS_STATUS.none });
      entry.plain.child.inc();
    }
  }

  deny(family: LightCounter, decision: AuthzDecision, tls: TlsStatus, withRoute: boolean): void {
    const client = this.clientLabel(tls.secured ? tls.peerId : '');
    this.children(family)
      .get(`${decision.key}\u0000${client}\u0000${tls.key}`, () => {
        const labels = serverLabels(decision, withRoute);
        labels[AUTHZ_LABEL.clientId] = client;
        labels[LABEL.tls] = tls.secured ? TLS_STATUS.secured : TLS_STATUS.none;
        if (!tls.secured) labels[LABEL.noTlsReason] = tls.reason;
        return labels;
      })
      .inc();
  }

  notFound(family: LightCounter, decision: AuthzDecision): void {
    this.children(family)
      .get(decision.key, () => serverLabels(decision, true))
      .inc();
  }

  sweep(cutoff: number): boolean {
    for (const [key, entry] of this.allowed) {
      if (entry.lastUsed >= cutoff) continue;
      if (entry.secured) entry.family.remove(entry.secured.labels);
      if (entry.plain) entry.family.remove(entry.plain.labels);
      this.allowed.delete(key);
    }
    let empty = this.allowed.size === 0;
    for (const children of this.refused.values()) empty = children.sweep(cutoff) && empty;
    for (const [client, lastUsed] of this.clients) if (lastUsed < cutoff) this.clients.delete(client);
    return empty;
  }

  /** The client's identity ("" without mTLS), or AUTHZ_OTHER_CLIENTS once this server names its limit of them. */
  private clientLabel(clientId: string): string {
    if (clientId === '') return '';
    if (this.clients.has(clientId) || this.clients.size < AUTHZ_CLIENT_ID_LIMIT) {
      this.clients.set(clientId, performance.now());
      return clientId;
    }
    return AUTHZ_OTHER_CLIENTS;
  }

  private children(family: LightCounter): Children<CounterChild> {
    let children = this.refused.get(family);
    if (!children) {
      children = new Children(family);
      this.refused.set(family, children);
    }
    return children;
  }
}

function bind(family: LightCounter, labels: Labels): { labels: Labels; child: CounterChild } {
  return { labels, child: family.labels(labels) };
}

/** srv_* and, for HTTP, route_*: the decision's labels without authz_*. */
function serverLabels(decision: AuthzDecision, withRoute: boolean): Labels {
  const { labels } = decision;
  const out: Labels = {
    [AUTHZ_LABEL.srvKind]: labels[AUTHZ_LABEL.srvKind] ?? '',
    [AUTHZ_LABEL.srvName]: labels[AUTHZ_LABEL.srvName] ?? '',
    [AUTHZ_LABEL.srvPort]: labels[AUTHZ_LABEL.srvPort] ?? '',
  };
  if (withRoute) {
    out[AUTHZ_LABEL.routeKind] = labels[AUTHZ_LABEL.routeKind] ?? '';
    out[AUTHZ_LABEL.routeName] = labels[AUTHZ_LABEL.routeName] ?? '';
  }
  return out;
}
