import { edgeId, type Graph, nodeId, sortGraph } from './graph.js';

/** Inbound traffic not explained by meshed callers must exceed both, to tell real clients from scrape jitter. */
export const UNMESHED_MIN_RPS = 0.05;
export const UNMESHED_MIN_SHARE = 0.02;

/**
 * Step 2: unmeshed clients. A workload's proxies answered more than its meshed callers sent: the rest came from
 * clients without a proxy (an ingress, a cron job, a curl). They appear as one "unmeshed clients" node per workload;
 * their latency is unknown (only the caller's proxy measures it on the client side), so it stays null.
 */
export function addUnmeshedClients(g: Graph): Graph {
  const nodes = [...g.nodes];
  const edges = [...g.edges];
  for (const w of g.nodes) {
    if (w.kind !== 'deployment' || w.rps === null) continue;
    const meshedIn = g.edges.filter((e) => e.target === w.id);
    const meshedRps = meshedIn.reduce((a, e) => a + (e.rps ?? 0), 0);
    const meshedOk = meshedIn.reduce((a, e) => a + (e.rps ?? 0) * (e.successRate ?? 0), 0);
    const rest = w.rps - meshedRps;
    if (rest < UNMESHED_MIN_RPS || rest < w.rps * UNMESHED_MIN_SHARE) continue;
    const ok = Math.max(0, w.rps * (w.successRate ?? 0) - meshedOk);
    const id = nodeId('unmeshed', w.namespace, w.name);
    nodes.push({
      id,
      kind: 'unmeshed',
      namespace: w.namespace,
      name: `unmeshed clients of ${w.name}`,
      parent: nodeId('namespace', w.namespace, w.namespace),
      meshed: false,
      rps: null,
      successRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      health: 'idle',
      dead: false,
    });
    edges.push({
      id: edgeId(id, w.id),
      source: id,
      target: w.id,
      rps: rest,
      successRate: Math.min(1, ok / rest),
      latencyMs: { p50: null, p95: null, p99: null },
      mtlsShare: 0,
      secured: false,
      insecureReason: 'the client has no proxy, so the connection cannot be mTLS',
      health: 'idle',
    });
  }
  return sortGraph({ nodes, edges });
}
