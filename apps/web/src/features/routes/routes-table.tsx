import type { RouteRow } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { formatLatencyMs, formatRouteName, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { routesHref } from '../../lib/links';
import type { RoutesSubject } from '../../lib/view-params';
import { RowAttrs, TestIds } from '../../testids';
import { sortRoutes } from './route-order';

interface Props {
  subject: RoutesSubject;
  rows: readonly RouteRow[];
  window: string;
  query: string;
  /** The route whose charts are shown, marked in the table. */
  selected?: string | null;
  stale?: boolean;
}

/** Whose proxies measured a service's route: its callers', or (no meshed caller reported it) its servers'. */
const MEASURED_BY: Record<NonNullable<RouteRow['direction']>, string> = { outbound: 'callers', inbound: 'servers' };

/**
 * One row per route with effective numbers (what callers saw) beside actual ones (on the wire, retries included).
 * A workload's routes link to their charts on the routes page; a service's routes (charts are kept per workload
 * only) say whose proxies measured them instead.
 */
export function RoutesTable({ subject, rows, window, query, selected = null, stale = false }: Props) {
  const { kind, namespace, name } = subject;
  const service = kind === 'service';
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.routesTable} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">
          Routes of {kind} {namespace}/{name} over the last {window}
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
            {service ? (
              <th scope="col" title="Whose proxies measured the route: the service's callers, or its servers when no meshed caller reported it">
                Seen by
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {sortRoutes(rows).map((row) => (
            <tr
              key={row.route}
              data-testid={TestIds.routeRow}
              data-selected={selected === row.route || undefined}
              {...{
                [RowAttrs.route]: row.route,
                [RowAttrs.rps]: row.rps === null ? '' : String(row.rps),
                [RowAttrs.direction]: row.direction,
              }}
            >
              <th scope="row">
                {service ? (
                  <span className={row.route === '' ? table.muted : undefined}>{formatRouteName(row.route)}</span>
                ) : (
                  <Link
                    className={`${table.rowLink} ${row.route === '' ? table.muted : ''}`}
                    href={routesHref(subject, query, row.route)}
                    aria-current={selected === row.route ? 'true' : undefined}
                    data-testid={TestIds.routeLink}
                  >
                    {formatRouteName(row.route)}
                  </Link>
                )}
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
              {service ? <td className={table.muted}>{row.direction ? MEASURED_BY[row.direction] : '—'}</td> : null}
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
