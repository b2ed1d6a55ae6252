import type { Graph } from './graph.js';

/**
 * Step 5: idle and dead nodes. A destination that receives requests but has no meshed pod reporting is dead
 * (called, but not there, or its proxies are not scraped); services and workloads with no traffic at all stay idle.
 * Namespace parents without children are dropped.
 */
export function markIdleAndDead(g: Graph): Graph {
  const targeted = new Set(g.edges.filter((e) => e.rps !== null).map((e) => e.target));
  const nodes = g.nodes.map((n) => {
    if (n.kind !== 'deployment') return n;
    return { ...n, dead: targeted.has(n.id) && !n.meshed };
  });
  const parents = new Set(nodes.map((n) => n.parent).filter(Boolean));
  return { nodes: nodes.filter((n) => n.kind !== 'namespace' || parents.has(n.id)), edges: g.edges };
}
