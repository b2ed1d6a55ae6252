import { type Graph, nodeId } from './graph.js';
import type { Ref, WorkloadDenial, WorkloadIdentity } from './samples.js';

/**
 * Step 6: denials. A client → service edge gets `deniedRps`: what the workloads behind the service (those that
 * answered this client through it) refused from the client's identity, HTTP requests and TCP connections alike.
 * The proxies count refusals per server workload and client identity, not per service or client workload, so the
 * figure is per identity: two workloads sharing a service account, or two services in front of one workload,
 * each show the same refusals rather than a share of them. Refusals of clients without mTLS (client_id "") and of
 * identities past the proxies' limit ("other") name no workload and are on no edge; nor are refusals of a client
 * whose proxies' identity is unknown, or of connections no HTTP edge carries.
 */
export function applyDenials(
  g: Graph,
  denials: readonly WorkloadDenial[],
  identities: readonly WorkloadIdentity[],
  serversByEdge: ReadonlyMap<string, readonly Ref[]>,
): Graph {
  if (denials.length === 0) return g;
  const refused = new Map<string, number>();
  const key = (server: Ref, clientId: string) => `${server.namespace}\u0000${server.name}\u0000${clientId}`;
  for (const d of denials) refused.set(key(d, d.clientId), (refused.get(key(d, d.clientId)) ?? 0) + d.rps);
  const identitiesOf = new Map<string, Set<string>>();
  for (const w of identities) {
    const id = nodeId('deployment', w.namespace, w.name);
    identitiesOf.set(id, (identitiesOf.get(id) ?? new Set()).add(w.identity));
  }
  return {
    nodes: g.nodes,
    edges: g.edges.map((e) => {
      const clientIds = e.source.startsWith('deployment/') ? identitiesOf.get(e.source) : undefined;
      if (!clientIds) return e;
      let deniedRps = 0;
      for (const server of serversByEdge.get(e.id) ?? []) {
        for (const clientId of clientIds) deniedRps += refused.get(key(server, clientId)) ?? 0;
      }
      return deniedRps > 0 ? { ...e, deniedRps } : e;
    }),
  };
}
