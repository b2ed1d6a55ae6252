import type { TopologyNode } from '@meshviz/mesh-types';

/**
 * Find and hide match nodes by name: case-insensitive, on the name or on "namespace/name". Namespace boxes are
 * never matched (choose a namespace with the selector instead). Empty text matches nothing.
 */
export function nameMatcher(text: string): ((node: Pick<TopologyNode, 'name' | 'namespace' | 'kind'>) => boolean) | null {
  const needle = text.trim().toLowerCase();
  if (needle === '') return null;
  return (node) =>
    node.kind !== 'namespace' &&
    (node.name.toLowerCase().includes(needle) || `${node.namespace}/${node.name}`.toLowerCase().includes(needle));
}

/** Nodes that `find` matches and `hide` does not, in a stable order, for the list under the find box. */
export function findMatches(nodes: readonly TopologyNode[], find: string, hide: string): TopologyNode[] {
  const found = nameMatcher(find);
  if (!found) return [];
  const hidden = nameMatcher(hide);
  return nodes
    .filter((node) => found(node) && !hidden?.(node))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}
