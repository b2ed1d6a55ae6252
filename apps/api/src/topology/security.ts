import { type Graph, nodeId } from './graph.js';
import type { WorkloadIdentity } from './samples.js';

/** Human words for the proxy's no_tls_reason label values. */
const REASONS: Record<string, string> = {
  disabled: 'the proxies run without identity (no identity service)',
  no_tls_from_remote: 'the client sent plaintext (not meshed, or without identity)',
  loopback: 'traffic stays on the loopback interface',
  not_provided_by_remote: 'the peer did not offer mTLS',
  not_provided_by_service_discovery: 'discovery gave no identity for the destination',
  no_authority_in_http_request: 'the request carried no authority',
  not_http: 'the connection is not HTTP',
};

/**
 * Step 4: security. An edge is secured when all of its traffic was mTLS, and then names the identities of its
 * ends; otherwise it says why, from the proxies' own no_tls_reason labels (keyed by edge id). Workloads get the
 * identity their proxies hold.
 */
export function applySecurity(g: Graph, reasons: Map<string, string[]>, identities: readonly WorkloadIdentity[] = []): Graph {
  const byNode = new Map<string, Set<string>>();
  for (const w of identities) {
    const id = nodeId('deployment', w.namespace, w.name);
    byNode.set(id, (byNode.get(id) ?? new Set()).add(w.identity));
  }
  // A service's identities are those of the workloads behind it.
  for (const e of g.edges) {
    const behind = byNode.get(e.target);
    if (!e.source.startsWith('service/') || !behind) continue;
    const set = byNode.get(e.source) ?? new Set<string>();
    for (const id of behind) set.add(id);
    byNode.set(e.source, set);
  }
  const identityOf = (node: string): string | undefined => {
    const set = byNode.get(node);
    return set && set.size > 0 ? [...set].sort().join(', ') : undefined;
  };
  return {
    nodes: g.nodes.map((n) => {
      const identity = n.kind === 'deployment' ? identityOf(n.id) : undefined;
      return identity ? { ...n, identity } : n;
    }),
    edges: g.edges.map((e) => {
      if (e.insecureReason) return e;
      const secured = e.mtlsShare === 1;
      if (secured) {
        // The identities the hop's mTLS proved: the caller's own for the client (a service on the graph stands for
        // the callers' proxies, so a service → workload hop names no single client).
        const clientId = e.source.startsWith('deployment/') ? identityOf(e.source) : undefined;
        const serverId = identityOf(e.target);
        return { ...e, secured, ...(clientId ? { clientId } : {}), ...(serverId ? { serverId } : {}) };
      }
      const why = (reasons.get(e.id) ?? []).map((r) => REASONS[r] ?? r);
      const share = e.mtlsShare === null || e.mtlsShare === 0 ? '' : `${Math.round((1 - e.mtlsShare) * 100)}% not mTLS: `;
      return { ...e, secured, insecureReason: `${share}${why.join('; ') || 'reason not reported'}` };
    }),
  };
}
