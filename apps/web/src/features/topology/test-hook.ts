import type { GraphData } from './elements';
import type { EdgeLook, GraphController } from './graph-controller';

/**
 * Browser tests (playwright/) drive the real graph through this hook: they set `window.__MESHVIZ_TEST__ = true`
 * before the page loads, then feed topologies through the same path as API answers. Without the flag nothing is
 * exposed, so production pages carry no test surface.
 */
export interface TopologyTestHook {
  /** Puts a topology on screen exactly as an API answer would be (mapping, in-place update or layout). */
  load(graph: GraphData): void;
  /** How many layouts have run since the graph was created. */
  layouts(): number;
  /** Nodes and edges in the graph, and nodes drawn (not hidden by name). */
  counts(): { nodes: number; edges: number; visibleNodes: number };
  viewport(): { x: number; y: number; zoom: number };
  nodeIds(): string[];
  /** How an edge is drawn: its classes (health, secured, denied), line style and label; null when not in the graph. */
  edgeLook(id: string): EdgeLook | null;
  /** Moves the view by a screen distance, as a mouse drag would. */
  panBy(dx: number, dy: number): void;
}

declare global {
  interface Window {
    __MESHVIZ_TEST__?: boolean;
    __meshvizTopology?: TopologyTestHook;
  }
}

export function testModeEnabled(): boolean {
  return typeof window !== 'undefined' && window.__MESHVIZ_TEST__ === true;
}

export function exposeTestHook(controller: GraphController, load: (graph: GraphData) => void): () => void {
  window.__meshvizTopology = {
    load,
    layouts: controller.layouts,
    counts: controller.counts,
    viewport: controller.viewport,
    nodeIds: controller.nodeIds,
    edgeLook: controller.edgeLook,
    panBy: controller.panBy,
  };
  return () => {
    delete window.__meshvizTopology;
  };
}
