import type { Core, EdgeSingular, Position } from 'cytoscape';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Size of a mark in graph units (it zooms with the graph, like the labels). */
const MARK_SIZE = 18;
/**
 * Where an edge's no-entry sign sits: this far (graph units) before the server end, where the request was refused,
 * so it clears the lock and the label at the middle; on short edges no nearer the middle than DENIED_MIN_T.
 */
const DENIED_BEFORE_END = 26;
const DENIED_MIN_T = 0.62;
let overlays = 0;

export interface EdgeOverlay {
  /** Re-reads which marked edges are visible and where their marks go. */
  refresh(): void;
  setColours(colours: { lock: string; denied: string; background: string }): void;
  destroy(): void;
}

/** The point of an edge, as drawn, where its no-entry sign goes (see DENIED_BEFORE_END). */
function deniedPoint(edge: EdgeSingular): Position {
  const from = edge.sourceEndpoint();
  const to = edge.targetEndpoint();
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const t = length > 0 ? Math.max(DENIED_MIN_T, 1 - DENIED_BEFORE_END / length) : 0.5;
  return pointAlong(edge, from, to, t);
}

/** A point `t` of the way along an edge: straight, or the quadratic curve through its one control point. */
function pointAlong(edge: EdgeSingular, from: Position, to: Position, t: number): Position {
  const controls = edge.controlPoints() ?? [];
  const control = controls.length === 1 ? controls[0] : undefined;
  if (!control) return { x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t };
  const a = (1 - t) * (1 - t);
  const b = 2 * (1 - t) * t;
  const c = t * t;
  return { x: a * from.x + b * control.x + c * to.x, y: a * from.y + b * control.y + c * to.y };
}

function mark(symbolId: string, kind: 'lock' | 'denied', edgeId: string, at: Position): SVGUseElement {
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', `#${symbolId}-${kind}`);
  use.setAttribute('x', String(at.x - MARK_SIZE / 2));
  use.setAttribute('y', String(at.y - MARK_SIZE / 2));
  use.setAttribute('width', String(MARK_SIZE));
  use.setAttribute('height', String(MARK_SIZE));
  use.dataset.mark = kind;
  use.dataset.edge = edgeId;
  return use;
}

/**
 * Draws a padlock on the middle of each secured edge, and a no-entry sign near the server end of each edge whose
 * requests policy refused. Cytoscape labels are text, and not every system has these glyphs in its fonts, so the
 * marks live in an SVG laid over the canvas: positioned in graph coordinates once, then moved with one transform
 * per pan or zoom (cheap even with many edges).
 */
export function attachEdgeOverlay(cy: Core, host: HTMLElement): EdgeOverlay {
  const symbolId = `meshviz-edge-mark-${++overlays}`;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;pointer-events:none;overflow:hidden';
  svg.innerHTML =
    `<defs>` +
    `<symbol id="${symbolId}-lock" viewBox="-7 -7 14 14" overflow="visible"><circle r="6.5" class="bg"/><rect x="-3.6" y="-1.2" width="7.2" height="5.6" rx="1.2" class="lock"/><path d="M-2.2 -1.2 V-2.8 a2.2 2.2 0 0 1 4.4 0 V-1.2" fill="none" stroke-width="1.4" class="shackle"/></symbol>` +
    `<symbol id="${symbolId}-denied" viewBox="-7 -7 14 14" overflow="visible"><circle r="7" class="bg"/><circle r="5.8" class="sign"/><rect x="-3.6" y="-1.1" width="7.2" height="2.2" rx="0.5" class="bar"/></symbol>` +
    `</defs><g></g>`;
  const layer = svg.querySelector('g') as SVGGElement;
  host.appendChild(svg);

  const follow = () => {
    const pan = cy.pan();
    layer.setAttribute('transform', `translate(${pan.x} ${pan.y}) scale(${cy.zoom()})`);
  };

  const refresh = () => {
    const uses: SVGUseElement[] = [];
    cy.edges('.secured, .denied').forEach((edge) => {
      if (!edge.visible()) return;
      if (edge.hasClass('secured')) uses.push(mark(symbolId, 'lock', edge.id(), edge.midpoint()));
      if (edge.hasClass('denied')) uses.push(mark(symbolId, 'denied', edge.id(), deniedPoint(edge)));
    });
    layer.replaceChildren(...uses);
    follow();
  };

  // Dragging a node moves its edges: redraw once per frame at most.
  let frame = 0;
  const onPosition = () => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      refresh();
    });
  };

  const paint = (selector: string, attribute: 'fill' | 'stroke', colour: string) => {
    for (const element of svg.querySelectorAll(selector)) element.setAttribute(attribute, colour);
  };

  cy.on('viewport', follow);
  cy.on('position', 'node', onPosition);
  return {
    refresh,
    setColours({ lock, denied, background }) {
      paint('.bg', 'fill', background);
      paint('.lock', 'fill', lock);
      paint('.shackle', 'stroke', lock);
      paint('.sign', 'fill', denied);
      paint('.bar', 'fill', background);
    },
    destroy() {
      cancelAnimationFrame(frame);
      cy.off('viewport', follow);
      cy.off('position', 'node', onPosition);
      svg.remove();
    },
  };
}
