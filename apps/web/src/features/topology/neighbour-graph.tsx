'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import page from '../../components/layout/page.module.css';
import { workloadHref } from '../../lib/links';
import { TestIds } from '../../testids';
import type { GraphData } from './elements';
import { LazyTopologyGraph } from './graph-loader';
import { workloadOf } from './selection';

interface Props {
  graph: GraphData;
  namespace: string;
  name: string;
  /** The current query string, so the neighbour's page keeps the view state. */
  query: string;
}

/** The workload among its callers and callees; clicking a neighbour opens its page. */
export function NeighbourGraph({ graph, namespace, name, query }: Props) {
  const router = useRouter();
  const focus = graph.nodes.find((node) => node.kind === 'deployment' && node.namespace === namespace && node.name === name);
  const open = useCallback(
    (id: string | null) => {
      const workload = workloadOf(graph, graph.nodes.find((node) => node.id === id));
      if (workload && workload.id !== focus?.id) router.push(workloadHref(workload.namespace, workload.name, query));
    },
    [graph, focus?.id, router, query],
  );
  return (
    <div className={page.card}>
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
