import type { StatsRow } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { GoldenCells, GoldenHeaders } from '../../components/metrics/golden-cells';
import { topologyHref, workloadsHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';

interface Props {
  rows: readonly StatsRow[];
  window: string;
  stale: boolean;
  query: string;
}

/** One row per namespace: meshed pods and golden metrics, with links to its workloads and its topology. */
export function NamespacesTable({ rows, window, stale, query }: Props) {
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.namespacesTable} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">Namespaces with their meshed pods and golden metrics over the last {window}</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col" className={table.num}>
              Meshed pods
            </th>
            <GoldenHeaders />
            <th scope="col">
              <span className="visually-hidden">Links</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.namespace}
              data-testid={TestIds.namespaceRow}
              {...{ [RowAttrs.namespace]: row.namespace, [RowAttrs.rps]: row.rps === null ? '' : String(row.rps) }}
            >
              <th scope="row">
                <Link className={table.rowLink} href={workloadsHref(row.namespace, query)}>
                  {row.namespace}
                </Link>
              </th>
              <td className={table.num}>{row.meshedPods === 0 ? <span className={table.muted}>not meshed</span> : row.meshedPods}</td>
              <GoldenCells metrics={row} window={window} />
              <td>
                <Link href={topologyHref(row.namespace, query)} aria-label={`Topology of ${row.namespace}`}>
                  Topology
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
