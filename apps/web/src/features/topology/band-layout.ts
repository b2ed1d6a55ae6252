/**
 * A layered layout for graphs too big for dagre's compound mode (which slows down sharply beyond ~100 nodes):
 * callers left of callees (longest-path layers, cycles broken), each namespace a horizontal band of its own so
 * boxes never overlap, nodes in a layer ordered by where their callers are. Linear in nodes and edges, pure.
 */
export interface BandNode {
  id: string;
  /** The compound node (namespace) it belongs to, if any. */
  parent?: string | undefined;
}

export interface BandEdge {
  source: string;
  target: string;
}

export interface BandOptions {
  rankSep: number;
  nodeSep: number;
  /** Space between two namespace bands (their boxes' padding and label). */
  bandGap: number;
  /** Width over height the whole drawing should roughly have (bands are shelved in rows to get there). */
  aspect?: number;
}

/** Layer of each node: 0 for nodes nobody calls, else one more than its furthest caller (cycles broken). */
export function layers(nodes: readonly BandNode[], edges: readonly BandEdge[]): Map<string, number> {
  const incoming = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const node of nodes) {
    incoming.set(node.id, 0);
    out.set(node.id, []);
  }
  for (const edge of edges) {
    if (!incoming.has(edge.source) || !incoming.has(edge.target) || edge.source === edge.target) continue;
    out.get(edge.source)?.push(edge.target);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  const layer = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const done = new Set<string>();
  const ready = nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  while (done.size < nodes.length) {
    if (ready.length === 0) {
      // A cycle: release the waiting node with the fewest callers left, as if those calls were not there.
      let pick: string | undefined;
      for (const node of nodes) {
        if (done.has(node.id)) continue;
        if (pick === undefined || (incoming.get(node.id) ?? 0) < (incoming.get(pick) ?? 0)) pick = node.id;
      }
      if (pick === undefined) break;
      ready.push(pick);
    }
    const id = ready.pop() as string;
    if (done.has(id)) continue;
    done.add(id);
    for (const target of out.get(id) ?? []) {
      if (done.has(target)) continue;
      layer.set(target, Math.max(layer.get(target) ?? 0, (layer.get(id) ?? 0) + 1));
      const left = (incoming.get(target) ?? 0) - 1;
      incoming.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  return layer;
}

interface Band {
  /** Positions inside the band, from its top-left corner. */
  local: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** One namespace's nodes: layers left to right, each layer a column ordered by where its callers sit. */
function layoutBand(members: readonly BandNode[], layer: Map<string, number>, callers: Map<string, string[]>, options: BandOptions): Band {
  const byLayer = new Map<number, BandNode[]>();
  for (const node of members) {
    const l = layer.get(node.id) ?? 0;
    byLayer.set(l, [...(byLayer.get(l) ?? []), node]);
  }
  const local = new Map<string, { x: number; y: number }>();
  const used = [...byLayer.keys()].sort((a, b) => a - b);
  let rows = 1;
  used.forEach((l, column) => {
    // Mean height of the callers already placed in this band (fewer crossings), then id for stability.
    const weight = (node: BandNode) => {
      const ys = (callers.get(node.id) ?? []).map((c) => local.get(c)?.y).filter((y): y is number => y !== undefined);
      return ys.length === 0 ? Number.POSITIVE_INFINITY : ys.reduce((sum, y) => sum + y, 0) / ys.length;
    };
    const nodes = [...(byLayer.get(l) ?? [])].sort((a, b) => weight(a) - weight(b) || a.id.localeCompare(b.id));
    for (const [i, node] of nodes.entries()) local.set(node.id, { x: column * options.rankSep, y: i * options.nodeSep });
    rows = Math.max(rows, nodes.length);
  });
  return { local, width: Math.max(1, used.length) * options.rankSep, height: rows * options.nodeSep };
}

/**
 * Positions (centres) of the leaf nodes; compound nodes are left out, cytoscape sizes them around their children.
 * Bands are shelved in rows, in namespace order, so that the drawing is about `aspect` times wider than tall.
 */
export function bandLayout(nodes: readonly BandNode[], edges: readonly BandEdge[], options: BandOptions): Map<string, { x: number; y: number }> {
  const parents = new Set(nodes.map((n) => n.parent).filter((p): p is string => p !== undefined));
  const leaves = nodes.filter((n) => !parents.has(n.id));
  const layer = layers(leaves, edges);
  const callers = new Map<string, string[]>();
  for (const edge of edges) callers.set(edge.target, [...(callers.get(edge.target) ?? []), edge.source]);
  const members = new Map<string, BandNode[]>();
  for (const node of leaves) members.set(node.parent ?? '', [...(members.get(node.parent ?? '') ?? []), node]);
  const bands = [...members.keys()].sort((a, b) => a.localeCompare(b)).map((key) => layoutBand(members.get(key) ?? [], layer, callers, options));

  const gap = options.bandGap;
  const area = bands.reduce((sum, b) => sum + (b.width + gap) * (b.height + gap), 0);
  const rowLimit = Math.max(...bands.map((b) => b.width), Math.sqrt(area * (options.aspect ?? 2)));
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const band of bands) {
    if (x > 0 && x + band.width > rowLimit) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    for (const [id, p] of band.local) positions.set(id, { x: x + p.x, y: y + p.y });
    x += band.width + gap;
    rowHeight = Math.max(rowHeight, band.height);
  }
  return positions;
}
