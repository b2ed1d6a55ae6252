import type { TopologyEdge, TopologyNode } from '@meshviz/mesh-types';

/** The graph as it moves through the pipeline; each step returns a new one. */
export interface Graph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export const nodeId = (kind: TopologyNode['kind'], namespace: string, name: string): string =>
  kind === 'namespace' ? `namespace/${namespace}` : `${kind}/${namespace}/${name}`;

export const edgeId = (source: string, target: string): string => `${source}->${target}`;

/** Stable order, so golden files and cytoscape see the same graph for the same traffic. */
export function sortGraph(g: Graph): Graph {
  return {
    nodes: [...g.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    edges: [...g.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}
