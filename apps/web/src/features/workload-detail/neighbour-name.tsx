import type { NeighbourStats } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import { topologyHref, workloadHref } from '../../lib/links';
import type { GraphData } from '../topology/elements';
import { workloadOf } from '../topology/selection';

const KIND: Record<NeighbourStats['kind'], string> = { deployment: 'workload', service: 'service', unmeshed: 'unmeshed' };

/**
 * A neighbour's name, linked to its workload's page when the graph tells which it is; other services link to their
 * place in the topology.
 */
export function NeighbourName({ neighbour, graph, query }: { neighbour: NeighbourStats; graph: GraphData; query: string }) {
  const workload = workloadOf(graph, graph.nodes.find((node) => node.id === neighbour.id));
  const text = `${neighbour.namespace}/${neighbour.name}`;
  const target = workload ?? (neighbour.kind === 'deployment' ? { namespace: neighbour.namespace, name: neighbour.name } : null);
  return (
    <>
      {target ? (
        <Link className={table.rowLink} href={workloadHref(target.namespace, target.name, query)}>
          {text}
        </Link>
      ) : neighbour.kind === 'service' ? (
        // Which workload serves it is known to the topology, where the service's panel links on.
        <Link className={table.rowLink} href={topologyHref(neighbour.namespace, query, neighbour.id)}>
          {text}
        </Link>
      ) : (
        <span className={table.name}>{text}</span>
      )}{' '}
      <span className={table.muted}>({KIND[neighbour.kind]})</span>
    </>
  );
}
