import type { Core } from 'cytoscape';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Size of a lock in graph units (it zooms with the graph, like the labels). */
const LOCK_SIZE = 18;
let overlays = 0;

export interface LockOverlay {
  /** Re-reads which secured edges are visible and where their midpoints are. */
  refresh(): void;
  setColours(lock: string, background: string): void;
  destroy(): void;
}

/**
 * Draws a padlock on each secured edge. Cytoscape labels are text, and not every system has a lock glyph in its
 * fonts, so the locks live in an SVG laid over the canvas: positioned in graph coordinates once, then moved with
 * one transform per pan or zoom (cheap even with many edges).
 */
export function attachLockOverlay(cy: Core, host: HTMLElement): LockOverlay {
  const symbolId = `meshviz-lock-${++overlays}`;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('aria-hidden', 'true');
  svg.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;pointer-events:none;overflow:hidden';
  svg.innerHTML = `<defs><symbol id="${symbolId}" viewBox="-7 -7 14 14" overflow="visible"><circle r="6.5" class="bg"/><rect x="-3.6" y="-1.2" width="7.2" height="5.6" rx="1.2" class="body"/><path d="M-2.2 -1.2 V-2.8 a2.2 2.2 0 0 1 4.4 0 V-1.2" fill="none" stroke-width="1.4" class="shackle"/></symbol></defs><g></g>`;
  const layer = svg.querySelector('g') as SVGGElement;
  const symbol = svg.querySelector('symbol') as SVGSymbolElement;
  host.appendChild(svg);

  const follow = () => {
    const pan = cy.pan();
    layer.setAttribute('transform', `translate(${pan.x} ${pan.y}) scale(${cy.zoom()})`);
  };

  const refresh = () => {
    const uses: SVGUseElement[] = [];
    cy.edges('.secured').forEach((edge) => {
      if (!edge.visible()) return;
      const mid = edge.midpoint();
      const use = document.createElementNS(SVG_NS, 'use');
      use.setAttribute('href', `#${symbolId}`);
      use.setAttribute('x', String(mid.x - LOCK_SIZE / 2));
      use.setAttribute('y', String(mid.y - LOCK_SIZE / 2));
      use.setAttribute('width', String(LOCK_SIZE));
      use.setAttribute('height', String(LOCK_SIZE));
      uses.push(use);
    });
    layer.replaceChildren(...uses);
    follow();
  };

  // Dragging a node moves its edges' midpoints: redraw once per frame at most.
  let frame = 0;
  const onPosition = () => {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      refresh();
    });
  };

  cy.on('viewport', follow);
  cy.on('position', 'node', onPosition);
  return {
    refresh,
    setColours(lock, background) {
      symbol.querySelector('.bg')?.setAttribute('fill', background);
      symbol.querySelector('.body')?.setAttribute('fill', lock);
      symbol.querySelector('.shackle')?.setAttribute('stroke', lock);
    },
    destroy() {
      cancelAnimationFrame(frame);
      cy.off('viewport', follow);
      cy.off('position', 'node', onPosition);
      svg.remove();
    },
  };
}
