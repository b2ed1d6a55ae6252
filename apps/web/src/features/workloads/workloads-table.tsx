import type { StatsRow } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { GoldenCells, GoldenHeaders, type GoldenIds } from '../../components/metrics/golden-cells';
import { workloadHref } from '../../lib/links';
import { TestIds, WorkloadRowAttrs } from '../../testids';

interface Props {
  rows: readonly StatsRow[];
  window: string;
  /** True while the rows belong to the previous selection and the new one is loading. */
  stale?: boolean;
  /** The current query string, so links keep the window, time range and refresh. */
  query?: string;
}

const WORKLOAD_IDS: GoldenIds = {
  successRate: TestIds.workloadSuccessRate,
  rps: TestIds.workloadRps,
  p50: TestIds.workloadP50,
  p95: TestIds.workloadP95,
  p99: TestIds.workloadP99,
};

export function WorkloadsTable({ rows, window, stale = false, query = '' }: Props) {
  return (
    <div className={page.card}>
      <table
        className={table.table}
        data-testid={TestIds.workloadsTable}
        aria-busy={stale || undefined}
        data-stale={stale || undefined}
      >
        <caption className="visually-hidden">Deployments with their golden metrics over the last {window}</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Workload</th>
            <th scope="col" className={table.num}>
              Meshed pods
            </th>
            <GoldenHeaders />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <WorkloadRow key={`${row.namespace}/${row.name}`} row={row} window={window} query={query} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkloadRow({ row, window, query }: { row: StatsRow; window: string; query: string }) {
  const attrs = {
    [WorkloadRowAttrs.namespace]: row.namespace,
    [WorkloadRowAttrs.workload]: row.name,
    [WorkloadRowAttrs.rps]: row.rps === null ? '' : String(row.rps),
  };
  return (
    <tr data-testid={TestIds.workloadRow} {...attrs}>
      <td className={table.muted}>{row.namespace}</td>
      <th scope="row">
        <Link className={table.rowLink} href={workloadHref(row.namespace, row.name, query)} data-testid={TestIds.workloadLink}>
          {row.name}
        </Link>
      </th>
      <td className={table.num} data-testid={TestIds.workloadMeshedPods}>
        {row.meshedPods}
      </td>
      <GoldenCells metrics={row} window={window} ids={WORKLOAD_IDS} />
    </tr>
  );
}
