import type { ElementDefinition } from 'cytoscape';
import { nodeIdsOf } from './elements';

export interface GraphUpdatePlan {
  /** Lay the graph out again: only when a node appeared (the others' places may no longer suit it). */
  relayout: boolean;
  /** With a relayout: whether the new graph still holds nodes of the old one (the view can stay where it is). */
  related: boolean;
  /** Elements in the graph now that are not in the next answer, removed in place (nodes take their edges along). */
  removeIds: string[];
  /** Edges of the next answer that the graph does not have yet, added in place between known nodes. */
  addIds: string[];
}

/**
 * What a refresh does to the graph on screen. With the same node ids, data is updated in place, edges come and go,
 * and positions, pan and zoom stay: a refresh must not move what the user is looking at. A vanished node is removed
 * where it stands. Only a new node means a new layout (which, being deterministic, puts a node that flickers back
 * exactly where it was).
 */
export function planGraphUpdate(
  current: { nodeIds: ReadonlySet<string>; edgeIds: ReadonlySet<string> },
  next: readonly ElementDefinition[],
): GraphUpdatePlan {
  const nextNodes = nodeIdsOf(next);
  const nextIds = [...nextNodes];
  const related = nextIds.some((id) => current.nodeIds.has(id));
  if (nextIds.some((id) => !current.nodeIds.has(id))) return { relayout: true, related, removeIds: [], addIds: [] };
  const nextEdges = new Set<string>();
  for (const element of next) if (element.group === 'edges' && element.data.id) nextEdges.add(element.data.id);
  return {
    relayout: false,
    related,
    removeIds: [
      ...[...current.nodeIds].filter((id) => !nextNodes.has(id)),
      ...[...current.edgeIds].filter((id) => !nextEdges.has(id)),
    ],
    addIds: [...nextEdges].filter((id) => !current.edgeIds.has(id)),
  };
}
