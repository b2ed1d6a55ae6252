import type { RouteRow } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { formatLatencyMs, formatRouteName, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { routesHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';
import { sortRoutes } from './route-order';

interface Props {
  namespace: string;
  workload: string;
  rows: readonly RouteRow[];
  window: string;
  query: string;
  /** The route whose charts are shown, marked in the table. */
  selected?: string | null;
  stale?: boolean;
}

/**
 * One row per route with effective numbers (what callers saw) beside actual ones (on the wire, retries included).
 * Each route links to its charts on the routes page.
 */
export function RoutesTable({ namespace, workload, rows, window, query, selected = null, stale = false }: Props) {
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.routesTable} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">
          Routes of {namespace}/{workload} over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col" className={table.num}>
              Success rate
            </th>
            <th scope="col" className={table.num} title="Per attempt, retries included">
              Actual success
            </th>
            <th scope="col" className={table.num}>
              RPS
            </th>
            <th scope="col" className={table.num} title="Per attempt, retries included">
              Actual RPS
            </th>
            <th scope="col" className={table.num}>
              P50
            </th>
            <th scope="col" className={table.num}>
              P95
            </th>
            <th scope="col" className={table.num}>
              P99
            </th>
          </tr>
        </thead>
        <tbody>
          {sortRoutes(rows).map((row) => (
            <tr
              key={row.route}
              data-testid={TestIds.routeRow}
              data-selected={selected === row.route || undefined}
              {...{ [RowAttrs.route]: row.route, [RowAttrs.rps]: row.rps === null ? '' : String(row.rps) }}
            >
              <th scope="row">
                <Link
                  className={`${table.rowLink} ${row.route === '' ? table.muted : ''}`}
                  href={routesHref(namespace, workload, query, row.route)}
                  aria-current={selected === row.route ? 'true' : undefined}
                  data-testid={TestIds.routeLink}
                >
                  {formatRouteName(row.route)}
                </Link>
              </th>
              <RateCell value={row.successRate} />
              <RateCell value={row.actualSuccessRate} />
              <td className={table.num}>{row.rps === null ? <NoTraffic window={window} /> : formatRps(row.rps)}</td>
              <td className={table.num}>
                <MetricValue value={row.actualRps} format={formatRps} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.latencyMs.p50} format={formatLatencyMs} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.latencyMs.p95} format={formatLatencyMs} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.latencyMs.p99} format={formatLatencyMs} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RateCell({ value }: { value: number | null }) {
  return (
    <td className={`${table.num} ${LEVEL_CLASS[successLevel(value)]}`}>
      <MetricValue value={value} format={formatSuccessRate} />
    </td>
  );
}
