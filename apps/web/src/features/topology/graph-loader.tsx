'use client';

import dynamic from 'next/dynamic';
import { BlockSkeleton } from '../../components/skeleton/table-skeleton';

/** cytoscape only loads in the browser, and only on pages that draw a graph. */
export const LazyTopologyGraph = dynamic(() => import('./topology-graph').then((m) => m.TopologyGraph), {
  ssr: false,
  loading: () => <BlockSkeleton label="Loading graph…" height="100%" />,
});
