import type { StylesheetJson } from 'cytoscape';
import type { Palette } from '../../components/theme/palette';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif';

/**
 * How the graph looks, from the theme's palette: health colours nodes' borders and edges; shapes tell kinds apart;
 * dead nodes are dashed and unmeshed clients dotted and grey; secured edges carry a lock, and edges whose requests
 * policy refused are red, dashed and marked with a no-entry sign (both drawn by edge-overlay.ts); a split
 * service's edges to its backends say their share and weight, dotted when they lead to a backend Service.
 */
export function graphStylesheet(p: Palette): StylesheetJson {
  const health = p.health;
  return [
    // While a big graph is panned as a picture, what lies outside it takes the canvas colour; no grey tap circle.
    {
      selector: 'core',
      style: {
        'outside-texture-bg-color': p.surface,
        'outside-texture-bg-opacity': 1,
        'active-bg-color': p.accent,
        'active-bg-opacity': 0,
        'active-bg-size': 0,
        'selection-box-color': p.accent,
        'selection-box-border-color': p.accent,
        'selection-box-border-width': 1,
        'selection-box-opacity': 0.2,
      },
    },
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-family': FONT,
        'font-size': 12,
        color: p.text,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': '140px',
        'min-zoomed-font-size': 7,
        'background-color': p.surface,
        'border-width': 2.5,
        'border-color': health.idle,
        width: 30,
        height: 30,
      },
    },
    { selector: 'node.deployment', style: { shape: 'round-rectangle', width: 36, height: 26 } },
    { selector: 'node.service', style: { shape: 'round-diamond', width: 26, height: 26, 'border-width': 2 } },
    { selector: 'node.unmeshed', style: { shape: 'ellipse', 'border-style': 'dotted', 'background-color': p.surfaceMuted, color: p.textMuted } },
    { selector: 'node.health-healthy', style: { 'border-color': health.healthy } },
    { selector: 'node.health-degraded', style: { 'border-color': health.degraded } },
    { selector: 'node.health-failing', style: { 'border-color': health.failing, 'border-width': 3 } },
    {
      selector: 'node.dead',
      style: { 'border-style': 'dashed', 'border-color': health.failing, 'background-color': p.surfaceMuted, color: health.failing },
    },
    {
      selector: 'node.namespace',
      style: {
        shape: 'round-rectangle',
        label: 'data(name)',
        // Under the box: edges often cross its top edge, never the space below it.
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'font-size': 12,
        'font-weight': 'bold',
        color: p.textMuted,
        'background-color': p.surfaceMuted,
        'background-opacity': 0.55,
        'border-width': 1,
        'border-color': p.border,
        padding: '16px',
      },
    },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'curve-style': 'bezier',
        'line-color': health.idle,
        'target-arrow-color': health.idle,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        label: 'data(label)',
        'font-family': FONT,
        'font-size': 10,
        'text-wrap': 'wrap',
        'line-height': 1.25,
        color: p.textMuted,
        'min-zoomed-font-size': 7,
        'text-background-color': p.surface,
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
      },
    },
    { selector: 'edge.health-healthy', style: { 'line-color': health.healthy, 'target-arrow-color': health.healthy } },
    { selector: 'edge.health-degraded', style: { 'line-color': health.degraded, 'target-arrow-color': health.degraded } },
    { selector: 'edge.health-failing', style: { 'line-color': health.failing, 'target-arrow-color': health.failing } },
    // The lock sits on the line's midpoint; the label moves above it.
    { selector: 'edge.secured', style: { 'text-margin-y': -19 } },
    // Refused by policy: whatever the success rate says (a refusal is a 403, counted as a success), red and dashed,
    // with the denied rate on the label's first line.
    {
      selector: 'edge.denied',
      style: {
        'line-color': health.failing,
        'target-arrow-color': health.failing,
        'line-style': 'dashed',
        'line-dash-pattern': [7, 4],
        width: 'mapData(width, 1, 6, 2.5, 6)',
        color: health.failing,
        'font-weight': 'bold',
      },
    },
    { selector: 'edge.secured.denied', style: { 'text-margin-y': -25 } },
    // A split service's edge to a backend Service: where the service sent a share of its requests, dotted (it is a
    // routing decision, not a hop of its own); the label's first line is the share and the configured weight.
    { selector: 'edge.split', style: { 'font-weight': 'bold', color: p.text } },
    // The service's edge to its own workloads: its label under the line, clear of the backend edges leaving upwards.
    { selector: 'edge.split.secured', style: { 'text-margin-y': 27 } },
    // Its label sits along the line near the backend: at the middle it would meet the service's other edges' labels.
    {
      selector: 'edge.backend',
      style: {
        'line-style': 'dotted',
        label: '',
        'target-label': 'data(label)',
        'target-text-offset': 75,
        'target-text-rotation': 'autorotate',
        'target-text-margin-y': -9,
      },
    },
    // View state: selection, find (match / faded) and hide.
    {
      selector: '.selected',
      style: { 'underlay-color': p.accent, 'underlay-opacity': 0.3, 'underlay-padding': 7, 'underlay-shape': 'round-rectangle' },
    },
    { selector: 'node.match', style: { 'underlay-color': p.accent, 'underlay-opacity': 0.45, 'underlay-padding': 9, 'font-weight': 'bold' } },
    { selector: '.faded', style: { opacity: 0.25 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
}
