import type { StatsRow } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { GoldenCells, GoldenHeaders } from '../../components/metrics/golden-cells';
import { RowAttrs, TestIds } from '../../testids';

/** The workload's pods, each with its own golden metrics (a slow or failing replica stands out here). */
export function PodsTable({ rows, window, subject }: { rows: readonly StatsRow[]; window: string; subject: string }) {
  if (rows.length === 0) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`}>
        No meshed pod of {subject} reports to Prometheus: it is not meshed, or not running.
      </p>
    );
  }
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.podsTable}>
        <caption className="visually-hidden">
          Pods of {subject} with their golden metrics over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Pod</th>
            <GoldenHeaders />
          </tr>
        </thead>
        <tbody>
          {[...rows]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((row) => (
              <tr key={row.name} data-testid={TestIds.podRow} {...{ [RowAttrs.name]: row.name, [RowAttrs.rps]: row.rps === null ? '' : String(row.rps) }}>
                <th scope="row" className={table.name}>
                  {row.name}
                </th>
                <GoldenCells metrics={row} window={window} />
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
