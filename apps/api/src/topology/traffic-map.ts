import type { LatencyMs, TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import { edgeId, type Graph, nodeId, sortGraph } from './graph.js';
import type { EdgeSample, Rates, TrafficSamples } from './samples.js';

const latency = (r: Rates): LatencyMs => ({ p50: r.p50, p95: r.p95, p99: r.p99 });
const traffic = (r: Rates) => {
  const rps = r.rps !== null && r.rps > 0 ? r.rps : null;
  return { rps, successRate: rps === null ? null : Math.min(1, (r.success ?? 0) / rps) };
};

/** A node without traffic yet: idle, its numbers null. */
export function node(kind: TopologyNode['kind'], namespace: string, name: string, meshed: boolean): TopologyNode {
  return {
    id: nodeId(kind, namespace, name),
    kind,
    namespace,
    name: kind === 'namespace' ? namespace : name,
    ...(kind === 'namespace' ? {} : { parent: nodeId('namespace', namespace, namespace) }),
    meshed,
    rps: null,
    successRate: null,
    latencyMs: { p50: null, p95: null, p99: null },
    health: 'idle',
    dead: false,
  };
}

function edge(source: string, target: string, s: EdgeSample): TopologyEdge {
  const t = traffic(s);
  return {
    id: edgeId(source, target),
    source,
    target,
    ...t,
    latencyMs: t.rps === null ? { p50: null, p95: null, p99: null } : latency(s),
    mtlsShare: t.rps === null ? null : Math.min(1, (s.tls ?? 0) / t.rps),
    secured: false,
    health: 'idle',
  };
}

/**
 * Step 1: the traffic map. Workloads (with their inbound golden metrics), the services they call, and edges
 * client → service → server workload; every namespace becomes a compound parent node.
 */
export function buildTrafficMap(samples: TrafficSamples): Graph {
  const nodes = new Map<string, TopologyNode>();
  const ensure = (kind: TopologyNode['kind'], namespace: string, name: string, meshed: boolean) => {
    const id = nodeId(kind, namespace, name);
    const existing = nodes.get(id);
    if (existing) {
      existing.meshed ||= meshed;
      return existing;
    }
    const n = node(kind, namespace, name, meshed);
    nodes.set(id, n);
    if (kind !== 'namespace') ensure('namespace', namespace, namespace, false);
    return n;
  };

  for (const w of samples.workloads) {
    const n = ensure('deployment', w.namespace, w.name, w.meshedPods > 0);
    Object.assign(n, traffic(w), { latencyMs: traffic(w).rps === null ? n.latencyMs : latency(w) });
  }
  const edges: TopologyEdge[] = [];
  for (const s of samples.clientService) {
    // A client with outbound series runs a proxy, so it is meshed.
    const client = ensure('deployment', s.from.namespace, s.from.name, true);
    const service = ensure('service', s.to.namespace, s.to.name, false);
    edges.push(edge(client.id, service.id, s));
  }
  for (const s of samples.serviceWorkload) {
    const service = ensure('service', s.from.namespace, s.from.name, false);
    const server = ensure('deployment', s.to.namespace, s.to.name, false);
    edges.push(edge(service.id, server.id, s));
  }
  // A service's own numbers are what its callers saw in total.
  const callers = new Map<string, { rps: number; ok: number }>();
  for (const s of samples.clientService) {
    const id = nodeId('service', s.to.namespace, s.to.name);
    const c = callers.get(id) ?? { rps: 0, ok: 0 };
    c.rps += s.rps ?? 0;
    c.ok += s.success ?? 0;
    callers.set(id, c);
  }
  for (const n of nodes.values()) {
    if (n.kind !== 'service') continue;
    const c = callers.get(n.id) ?? { rps: 0, ok: 0 };
    Object.assign(n, traffic({ rps: c.rps, success: c.ok, p50: null, p95: null, p99: null }));
  }
  return sortGraph({ nodes: [...nodes.values()], edges });
}
