'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import page from '../../components/layout/page.module.css';
import { workloadHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';
import type { GraphData } from './elements';
import { LazyTopologyGraph } from './graph-loader';
import { findNode, workloadOf } from './selection';

interface Props {
  graph: GraphData;
  /** Whose neighbourhood it is, highlighted in the graph: a workload (the default) or a service. */
  kind?: 'deployment' | 'service';
  namespace: string;
  name: string;
  /** The current query string, so the neighbour's page keeps the view state. */
  query: string;
}

/**
 * The workload or service among its callers and callees, highlighted; clicking a neighbour opens its workload's
 * page (a service's, the one workload behind it).
 */
export function NeighbourGraph({ graph, kind = 'deployment', namespace, name, query }: Props) {
  const router = useRouter();
  const focus = findNode(graph, kind, namespace, name);
  const open = useCallback(
    (id: string | null) => {
      if (id === null || id === focus?.id) return;
      const workload = workloadOf(graph, graph.nodes.find((node) => node.id === id));
      if (workload && workload.id !== focus?.id) router.push(workloadHref(workload.namespace, workload.name, query));
    },
    [graph, focus?.id, router, query],
  );
  return (
    <div className={page.card} {...{ [RowAttrs.focus]: focus?.id }}>
      <LazyTopologyGraph
        compact
        graph={graph}
        selectedId={focus?.id ?? null}
        onSelect={open}
        label={`Neighbours of ${namespace}/${name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges. The tables below list them.`}
        testId={TestIds.neighbourGraph}
      />
    </div>
  );
}
