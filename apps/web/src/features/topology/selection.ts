import type { TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import type { GraphData } from './elements';

export type Selection =
  | { kind: 'node'; node: TopologyNode }
  | { kind: 'edge'; edge: TopologyEdge; source: TopologyNode | undefined; target: TopologyNode | undefined };

/** The node or edge an id names, or null when it is not (or no longer) in the graph. */
export function resolveSelection(graph: GraphData | undefined, id: string | null): Selection | null {
  if (!graph || !id) return null;
  const node = graph.nodes.find((n) => n.id === id);
  if (node) return node.kind === 'namespace' ? null : { kind: 'node', node };
  const edge = graph.edges.find((e) => e.id === id);
  if (!edge) return null;
  const byId = (nodeId: string) => graph.nodes.find((n) => n.id === nodeId);
  return { kind: 'edge', edge, source: byId(edge.source), target: byId(edge.target) };
}

/**
 * The node a detail page is about: a workload (deployment) or a service, by namespace and name. A service and the
 * workload behind it often share a name, so the kind decides.
 */
export function findNode(
  graph: GraphData,
  kind: 'deployment' | 'service',
  namespace: string,
  name: string,
): TopologyNode | undefined {
  return graph.nodes.find((node) => node.kind === kind && node.namespace === namespace && node.name === name);
}

/**
 * The workload whose series and detail page describe a node: a deployment is its own; a service stands for the
 * deployment it forwards to (when exactly one); unmeshed clients and namespaces have none.
 */
export function workloadOf(graph: GraphData, node: TopologyNode | undefined): TopologyNode | null {
  if (!node) return null;
  if (node.kind === 'deployment') return node;
  if (node.kind !== 'service') return null;
  const targets = graph.edges
    .filter((e) => e.source === node.id)
    .map((e) => graph.nodes.find((n) => n.id === e.target))
    .filter((n): n is TopologyNode => n?.kind === 'deployment');
  return targets.length === 1 ? (targets[0] ?? null) : null;
}

/** The workload a selection's series are about: the node's, or for an edge, the one it calls. */
export function selectionWorkload(graph: GraphData, selection: Selection): TopologyNode | null {
  return selection.kind === 'node' ? workloadOf(graph, selection.node) : workloadOf(graph, selection.target);
}
