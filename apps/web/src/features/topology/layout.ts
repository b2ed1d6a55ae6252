import cytoscape, { type Core } from 'cytoscape';
import dagre, { type DagreLayoutOptions } from 'cytoscape-dagre';
import { bandLayout } from './band-layout';

let registered = false;

/** Registers the dagre layout once per page (cytoscape keeps extensions globally). */
export function registerDagre(): void {
  if (registered) return;
  cytoscape.use(dagre);
  registered = true;
}

/**
 * Beyond this size dagre's compound layout takes seconds to minutes (measured: 60 nodes / 150 edges ≈ 0.3 s,
 * 100 / 400 > 2 min), so bigger graphs get the band layout instead.
 */
export const DAGRE_MAX_NODES = 80;
export const DAGRE_MAX_EDGES = 200;

export type LayoutKind = 'dagre' | 'bands';

export function chooseLayout(nodes: number, edges: number): LayoutKind {
  return nodes <= DAGRE_MAX_NODES && edges <= DAGRE_MAX_EDGES ? 'dagre' : 'bands';
}

/** Left to right, callers before callees, namespaces as boxes; no animation so a new layout lands at once. */
export function dagreOptions(compact: boolean, fit = true): DagreLayoutOptions {
  return {
    name: 'dagre',
    rankDir: 'LR',
    // Namespace boxes add padding and a label that dagre does not know about: keep ranks' nodes far enough apart
    // that neighbouring boxes do not overlap.
    nodeSep: compact ? 44 : 48,
    rankSep: compact ? 90 : 105,
    edgeSep: 10,
    nodeDimensionsIncludeLabels: true,
    padding: compact ? 16 : 28,
    fit,
    animate: false,
  };
}

/** Lays the graph out; `fit` false keeps the user's pan and zoom. */
export function runLayout(cy: Core, compact: boolean, fit = true): LayoutKind {
  const kind = chooseLayout(cy.nodes().length, cy.edges().length);
  if (kind === 'dagre') {
    cy.layout(dagreOptions(compact, fit)).run();
  } else {
    const nodes = cy.nodes().map((n) => ({ id: n.id(), parent: n.data('parent') as string | undefined }));
    const edges = cy.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
    // Shape the drawing like the canvas, so that fitting it wastes little room.
    const aspect = cy.height() > 0 ? cy.width() / cy.height() : 2;
    const positions = bandLayout(nodes, edges, { rankSep: 180, nodeSep: 56, bandGap: 90, aspect });
    cy.layout({ name: 'preset', positions: Object.fromEntries(positions), fit, padding: 28, animate: false }).run();
  }
  if (fit) capZoom(cy);
  return kind;
}

/** Fits the whole graph in the canvas. */
export function fitView(cy: Core, compact: boolean): void {
  cy.fit(undefined, compact ? 16 : 28);
  capZoom(cy);
}

/** A tiny graph fitted to a wide canvas would be drawn huge: cap the zoom after fitting. */
function capZoom(cy: Core): void {
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
}
