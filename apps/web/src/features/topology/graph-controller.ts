import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import type { Palette } from '../../components/theme/palette';
import { applyElements } from './apply-elements';
import { decorate, type GraphViewState } from './decorate';
import { attachEdgeOverlay, type EdgeOverlay } from './edge-overlay';
import { chooseLayout, fitView, registerDagre, runLayout } from './layout';
import { graphStylesheet } from './stylesheet';

export interface GraphController {
  /** Puts elements on screen: in place when the node ids are unchanged, else rebuilt and laid out. */
  show(elements: readonly ElementDefinition[]): void;
  setViewState(state: GraphViewState): void;
  setPalette(colours: Palette): void;
  /** How many layouts have run (tests check that refreshes add none). */
  layouts(): number;
  counts(): { nodes: number; edges: number; visibleNodes: number };
  viewport(): { x: number; y: number; zoom: number };
  nodeIds(): string[];
  /** How an edge is drawn (its classes, line style and label), or null when it is not in the graph. */
  edgeLook(id: string): EdgeLook | null;
  panBy(dx: number, dy: number): void;
  destroy(): void;
}

export interface EdgeLook {
  classes: string[];
  lineStyle: string;
  label: string;
}

interface Options {
  host: HTMLElement;
  colours: Palette;
  compact: boolean;
  state: GraphViewState;
  /** A tap on a node or an edge gives its id; a tap on the background gives null. Namespace boxes are ignored. */
  onSelect: (id: string | null) => void;
}

interface Instance {
  cy: Core;
  overlay: EdgeOverlay;
  /** Drawn with the big-graph settings (a cached texture while panning and zooming). */
  large: boolean;
}

/** Locks in the healthy colour, no-entry signs in the failing one, both ringed by the canvas colour. */
function overlayColours(p: Palette) {
  return { lock: p.health.healthy, denied: p.health.failing, background: p.surface };
}

function countsOf(elements: readonly ElementDefinition[]): { nodes: number; edges: number } {
  let nodes = 0;
  for (const element of elements) if (element.group === 'nodes') nodes += 1;
  return { nodes, edges: elements.length - nodes };
}

/**
 * Owns the cytoscape instance and what is drawn over it; React only tells it what changed. Big graphs (the ones
 * the band layout handles) get an instance that pans and zooms a cached picture of the graph instead of redrawing
 * every edge on every frame; crossing that size rebuilds the instance (renderer settings are fixed at creation).
 */
export function createGraphController({ host, colours, compact, state, onSelect }: Options): GraphController {
  registerDagre();
  let palette = colours;
  let viewState = state;
  let layoutRuns = 0;
  /** The user panned or zoomed since the last fit: a new layout keeps their view instead of fitting. */
  let userMoved = false;
  let laying = false;

  function create(large: boolean): Instance {
    const cy = cytoscape({
      container: host,
      style: graphStylesheet(palette),
      minZoom: 0.02,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autounselectify: true,
      textureOnViewport: large,
    });
    cy.on('viewport', () => {
      if (!laying) userMoved = true;
    });
    cy.on('tap', (event: EventObject) => {
      if (event.target === cy) onSelect(null);
      else if (!event.target.hasClass('namespace')) onSelect(event.target.id());
    });
    const overlay = attachEdgeOverlay(cy, host);
    overlay.setColours(overlayColours(palette));
    return { cy, overlay, large };
  }

  function dispose(current: Instance): void {
    current.overlay.destroy();
    current.cy.destroy();
  }

  let instance = create(false);
  // A new canvas size refits the graph, unless the user has placed the view themselves.
  const resize = new ResizeObserver(() => {
    const { cy } = instance;
    cy.resize();
    if (userMoved || cy.nodes().length === 0) return;
    laying = true;
    fitView(cy, compact);
    laying = false;
  });
  resize.observe(host);

  return {
    show(elements) {
      const { nodes, edges } = countsOf(elements);
      const large = chooseLayout(nodes, edges) === 'bands';
      if (large !== instance.large) {
        dispose(instance);
        instance = create(large);
        userMoved = false;
      }
      const { cy, overlay } = instance;
      const plan = applyElements(cy, elements);
      if (plan.relayout) {
        const fit = !userMoved || !plan.related;
        laying = true;
        runLayout(cy, compact, fit);
        laying = false;
        if (fit) userMoved = false;
        layoutRuns += 1;
      }
      decorate(cy, viewState);
      overlay.refresh();
    },
    setViewState(next) {
      viewState = next;
      decorate(instance.cy, next);
      instance.overlay.refresh();
    },
    setPalette(next) {
      palette = next;
      instance.cy.style(graphStylesheet(next));
      instance.overlay.setColours(overlayColours(next));
    },
    layouts: () => layoutRuns,
    counts: () => ({
      nodes: instance.cy.nodes().length,
      edges: instance.cy.edges().length,
      visibleNodes: instance.cy.nodes(':visible').length,
    }),
    viewport: () => ({ ...instance.cy.pan(), zoom: instance.cy.zoom() }),
    nodeIds: () => instance.cy.nodes().map((n) => n.id()),
    edgeLook(id) {
      const edge = instance.cy.getElementById(id);
      if (edge.empty() || !edge.isEdge()) return null;
      return { classes: edge.classes(), lineStyle: String(edge.style('line-style')), label: String(edge.data('label') ?? '') };
    },
    panBy(dx, dy) {
      instance.cy.panBy({ x: dx, y: dy });
    },
    destroy() {
      resize.disconnect();
      dispose(instance);
    },
  };
}
