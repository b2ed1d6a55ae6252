'use client';

import { useEffect, useMemo, useRef } from 'react';
import { palette } from '../../components/theme/palette';
import { useTheme } from '../../components/theme/use-theme';
import { type GraphData, toElements } from './elements';
import { createGraphController, type GraphController } from './graph-controller';
import { exposeTestHook, testModeEnabled } from './test-hook';
import styles from './topology.module.css';

export interface TopologyGraphProps {
  graph: GraphData | undefined;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  find?: string;
  hide?: string;
  /** The small neighbour graph of the detail page: tighter spacing, no test hook. */
  compact?: boolean;
  /** What the graph shows, for screen readers (the canvas itself says nothing). */
  label: string;
  testId: string;
}

/**
 * The cytoscape graph. One instance lives as long as the component: answers are applied in place (no new layout
 * while the node ids stay the same, so pan and zoom stay), view state becomes classes, the theme a new stylesheet.
 */
export function TopologyGraph({ graph, selectedId, onSelect, find = '', hide = '', compact = false, label, testId }: TopologyGraphProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<GraphController | null>(null);
  const colours = palette(useTheme());
  const elements = useMemo(() => (graph ? toElements(graph) : []), [graph]);
  // The controller is created once; it reads the latest values through these refs.
  const latest = useRef({ colours, selectedId, find, hide, onSelect });
  latest.current = { colours, selectedId, find, hide, onSelect };

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    const { colours: initial, selectedId: sel, find: f, hide: h } = latest.current;
    const graphController = createGraphController({
      host,
      colours: initial,
      compact,
      state: { selectedId: sel, find: f, hide: h },
      onSelect: (id) => latest.current.onSelect(id),
    });
    controller.current = graphController;
    const unexpose = !compact && testModeEnabled() ? exposeTestHook(graphController, (g) => graphController.show(toElements(g))) : undefined;
    return () => {
      unexpose?.();
      graphController.destroy();
      controller.current = null;
    };
  }, [compact]);

  useEffect(() => {
    controller.current?.show(elements);
  }, [elements]);

  useEffect(() => {
    controller.current?.setViewState({ selectedId, find, hide });
  }, [selectedId, find, hide]);

  useEffect(() => {
    controller.current?.setPalette(colours);
  }, [colours]);

  return <div ref={container} className={compact ? styles.compactCanvas : styles.canvas} role="img" aria-label={label} data-testid={testId} />;
}
