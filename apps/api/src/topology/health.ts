import type { Health, HealthThresholds } from '@meshviz/mesh-types';
import type { Graph } from './graph.js';

export function healthOf(successRate: number | null, t: HealthThresholds): Health {
  if (successRate === null) return 'idle';
  if (successRate >= t.healthy) return 'healthy';
  if (successRate >= t.degraded) return 'degraded';
  return 'failing';
}

/** Step 3: health of every node and edge from its success rate; no traffic is "idle", never "healthy". */
export function applyHealth(g: Graph, t: HealthThresholds): Graph {
  return {
    nodes: g.nodes.map((n) => (n.kind === 'namespace' ? n : { ...n, health: healthOf(n.successRate, t) })),
    edges: g.edges.map((e) => ({ ...e, health: healthOf(e.successRate, t) })),
  };
}
