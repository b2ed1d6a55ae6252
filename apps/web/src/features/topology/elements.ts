import type { TopologyEdge, TopologyNode, TopologyResponse } from '@meshviz/mesh-types';
import type { ElementDefinition } from 'cytoscape';
import { formatLatencyMs, formatPercentTick, formatRps, formatSuccessRate, NO_TRAFFIC } from '../../lib/format';

/** The part of a topology answer the graph draws (the detail page's small graph has no thresholds). */
export type GraphData = Pick<TopologyResponse, 'nodes' | 'edges'>;

/** Whether the server's proxies refused requests of the edge's client by policy in the window. */
export function isDenied(edge: Pick<TopologyEdge, 'deniedRps'>): edge is { deniedRps: number } {
  return edge.deniedRps !== undefined && edge.deniedRps > 0;
}

/** Whether the edge is a split service's edge to one of its backends (it carries the backend's share). */
export function isSplitEdge(edge: Pick<TopologyEdge, 'share'>): boolean {
  return edge.share !== undefined;
}

/**
 * A split edge's first line, short enough to sit on the line: the measured share, then the configured weight:
 * "split 10% · w 10" ("w ?" when the weight is not known; the panel says both in words).
 */
export function splitLabel(edge: Pick<TopologyEdge, 'share' | 'weight'>): string {
  const measured = edge.share === null || edge.share === undefined ? 'no requests' : formatPercentTick(edge.share);
  return `split ${measured} · w ${edge.weight === null || edge.weight === undefined ? '?' : edge.weight}`;
}

/**
 * What an edge's label says, on two lines to stay narrow: "12.35 rps · 99.50%" / "p99 45.0 ms"; or "no traffic".
 * An edge with refused requests says so first: "denied 2.50 rps"; a split service's edge to a backend starts with
 * the backend's share and weight (and has no latency of its own when it leads to a backend Service).
 */
export function edgeLabel(
  edge: Pick<TopologyEdge, 'rps' | 'successRate' | 'latencyMs' | 'deniedRps' | 'share' | 'weight' | 'configuredShare'>,
): string {
  const p99 = edge.latencyMs.p99 === null && isSplitEdge(edge) ? '' : `\np99 ${formatLatencyMs(edge.latencyMs.p99)}`;
  const traffic = edge.rps === null ? NO_TRAFFIC : `${formatRps(edge.rps)} rps · ${formatSuccessRate(edge.successRate)}${p99}`;
  const lines = [isDenied(edge) ? `denied ${formatRps(edge.deniedRps)} rps` : null, isSplitEdge(edge) ? splitLabel(edge) : null, traffic];
  return lines.filter((l): l is string => l !== null).join('\n');
}

export function nodeLabel(node: Pick<TopologyNode, 'name' | 'dead'>): string {
  return node.dead ? `${node.name}\n(no meshed pods)` : node.name;
}

/** Line width by traffic: 1 px when idle, up to 6 px on a log scale. */
export function edgeWidth(rps: number | null): number {
  if (rps === null || rps <= 0) return 1;
  return Math.round(Math.min(6, 1.5 + Math.log10(1 + rps) * 1.5) * 10) / 10;
}

/** Style classes: kind, health, and whether a node is dead; on edges, health, mTLS and refusals by policy. */
export function nodeClasses(node: TopologyNode): string {
  return [node.kind, `health-${node.health}`, node.dead ? 'dead' : ''].filter(Boolean).join(' ');
}

/** A split service's edge to a backend Service: a routing decision drawn between two services, not a hop of its own. */
export const isBackendEdge = (edge: Pick<TopologyEdge, 'share' | 'source' | 'target'>) =>
  isSplitEdge(edge) && edge.source.startsWith('service/') && edge.target.startsWith('service/');

/**
 * The label an edge is drawn with: a split service's edge to a backend Service says only the share and weight (along
 * the line: it leaves the service beside the service's other edges, and its requests are on the callers' own
 * edges); every other edge says its traffic (edgeLabel).
 */
export function drawnLabel(edge: TopologyEdge): string {
  return isBackendEdge(edge) ? splitLabel(edge) : edgeLabel(edge);
}

export function edgeClasses(edge: TopologyEdge): string {
  return [
    `health-${edge.health}`,
    edge.secured ? 'secured' : 'insecure',
    isDenied(edge) ? 'denied' : '',
    isSplitEdge(edge) ? 'split' : '',
    isBackendEdge(edge) ? 'backend' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The cytoscape elements of a topology: nodes as they are (flat, `parent` = their namespace's compound node) with a
 * label, edges with a label and a width. Edges whose ends are missing and parents that are not in the graph are
 * dropped: cytoscape refuses the first and warns about the second.
 */
export function toElements(graph: GraphData): ElementDefinition[] {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const nodes: ElementDefinition[] = graph.nodes.map((node) => {
    const { parent, ...rest } = node;
    const data = parent !== undefined && ids.has(parent) ? { ...rest, parent } : rest;
    return { group: 'nodes', data: { ...data, label: nodeLabel(node) }, classes: nodeClasses(node) };
  });
  const edges: ElementDefinition[] = graph.edges
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
    .map((edge) => ({
      group: 'edges',
      data: { ...edge, label: drawnLabel(edge), width: edgeWidth(edge.rps) },
      classes: edgeClasses(edge),
    }));
  return [...nodes, ...edges];
}

/** The node ids of a set of elements. */
export function nodeIdsOf(elements: readonly ElementDefinition[]): Set<string> {
  const ids = new Set<string>();
  for (const element of elements) if (element.group === 'nodes' && element.data.id) ids.add(element.data.id);
  return ids;
}
