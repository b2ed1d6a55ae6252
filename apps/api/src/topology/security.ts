import type { Graph } from './graph.js';

/** Human words for the proxy's no_tls_reason label values. */
const REASONS: Record<string, string> = {
  disabled: 'no identity service in this mesh',
  loopback: 'traffic stays on the loopback interface',
  not_provided_by_remote: 'the peer did not offer mTLS',
  not_provided_by_service_discovery: 'discovery gave no identity for the destination',
  no_authority_in_http_request: 'the request carried no authority',
  not_http: 'the connection is not HTTP',
};

/**
 * Step 4: security. An edge is secured when all of its traffic was mTLS; otherwise it says why, from the
 * proxies' own no_tls_reason labels (keyed by edge id).
 */
export function applySecurity(g: Graph, reasons: Map<string, string[]>): Graph {
  return {
    nodes: g.nodes,
    edges: g.edges.map((e) => {
      if (e.insecureReason) return e;
      const secured = e.mtlsShare === 1;
      if (secured) return { ...e, secured };
      const why = (reasons.get(e.id) ?? []).map((r) => REASONS[r] ?? r);
      const share = e.mtlsShare === null || e.mtlsShare === 0 ? '' : `${Math.round((1 - e.mtlsShare) * 100)}% not mTLS: `;
      return { ...e, secured, insecureReason: `${share}${why.join('; ') || 'reason not reported'}` };
    }),
  };
}
