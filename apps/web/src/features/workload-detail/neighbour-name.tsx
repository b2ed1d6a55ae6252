import type { NeighbourStats } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import { serviceHref, workloadHref } from '../../lib/links';
import { TestIds } from '../../testids';
import type { GraphData } from '../topology/elements';
import { workloadOf } from '../topology/selection';

const KIND: Record<NeighbourStats['kind'], string> = { deployment: 'workload', service: 'service', unmeshed: 'unmeshed' };

/**
 * A neighbour's name, linked to its page: a service to the service's, a workload (or the workload the graph says
 * stands for it) to the workload's.
 */
export function NeighbourName({ neighbour, graph, query }: { neighbour: NeighbourStats; graph: GraphData; query: string }) {
  const workload = workloadOf(graph, graph.nodes.find((node) => node.id === neighbour.id));
  const text = `${neighbour.namespace}/${neighbour.name}`;
  const target = workload ?? (neighbour.kind === 'deployment' ? { namespace: neighbour.namespace, name: neighbour.name } : null);
  return (
    <>
      {neighbour.kind === 'service' ? (
        // A service has its own page: its callers, and the workloads behind it.
        <Link className={table.rowLink} href={serviceHref(neighbour.namespace, neighbour.name, query)} data-testid={TestIds.serviceLink}>
          {text}
        </Link>
      ) : target ? (
        <Link className={table.rowLink} href={workloadHref(target.namespace, target.name, query)}>
          {text}
        </Link>
      ) : (
        <span className={table.name}>{text}</span>
      )}{' '}
      <span className={table.muted}>({KIND[neighbour.kind]})</span>
    </>
  );
}
