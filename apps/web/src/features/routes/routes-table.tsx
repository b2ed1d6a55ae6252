import type { ConfiguredSource, RouteRow } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { formatLatencyMs, formatRouteName, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { routesHref } from '../../lib/links';
import { describeRetries, describeTimeouts, formatFault, formatRetryPolicy, formatTimeouts, timedOut } from '../../lib/outbound-format';
import type { RoutesSubject } from '../../lib/view-params';
import { RowAttrs, TestIds } from '../../testids';
import { sortRoutes } from './route-order';
import styles from './routes.module.css';

interface Props {
  subject: RoutesSubject;
  rows: readonly RouteRow[];
  window: string;
  query: string;
  /** The route whose charts are shown, marked in the table. */
  selected?: string | null;
  stale?: boolean;
  /** For a service's routes: whether the configured policy was known, and why not. */
  configured?: ConfiguredSource | undefined;
}

/** Whose proxies measured a service's route: its callers', or (no meshed caller reported it) its servers'. */
const MEASURED_BY: Record<NonNullable<RouteRow['direction']>, string> = { outbound: 'callers', inbound: 'servers' };

/**
 * One row per route with effective numbers (what callers saw) beside actual ones (on the wire, retries included).
 * A workload's routes link to their charts on the routes page; a service's routes (charts are kept per workload
 * only) say whose proxies measured them instead, and show the route's configured timeout and retry policy beside
 * what its retries and timeouts did.
 */
export function RoutesTable({ subject, rows, window, query, selected = null, stale = false, configured }: Props) {
  const { kind, namespace, name } = subject;
  const service = kind === 'service';
  return (
    // A service's table is wide (configured policy, retries, timeouts): where it scrolls, the keyboard must reach it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is focusable so keyboard users can scroll it
    <section className={page.card} tabIndex={0} aria-label={`Routes of ${kind} ${namespace}/${name}`}>
      {service && configured && !configured.known ? (
        <p className={`${page.sectionNote} ${styles.unknown}`} data-testid={TestIds.configuredUnknown}>
          Configured timeouts and retries are not shown: {configured.reason}
        </p>
      ) : null}
      <table className={`${table.table} ${service ? styles.compact : ''}`} data-testid={TestIds.routesTable} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">
          Routes of {kind} {namespace}/{name} over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            {service ? (
              <th scope="col" title="As configured for the callers: the route's timeout (the whole request's, each attempt's, a stalled body's) and retry policy">
                Configured
              </th>
            ) : null}
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
              <>
                <th scope="col" className={table.num} title="Retries the callers' proxies sent per second">
                  Retries
                </th>
                <th scope="col" className={table.num} title="Requests per second that ended in a timeout">
                  Timed out
                </th>
                <th scope="col" title="Whose proxies measured the route: the service's callers, or its servers when no meshed caller reported it">
                  Seen by
                </th>
              </>
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
                [RowAttrs.successRate]: row.successRate === null ? '' : String(row.successRate),
                [RowAttrs.direction]: row.direction,
                ...(service
                  ? {
                      [RowAttrs.retries]: row.retries?.rps == null ? '' : String(row.retries.rps),
                      [RowAttrs.timeouts]: row.timeouts ? String(timedOut(row.timeouts)) : '',
                      [RowAttrs.timeoutMs]: row.configured?.timeouts.requestMs == null ? '' : String(row.configured.timeouts.requestMs),
                      [RowAttrs.retryLimit]: row.configured ? String(row.configured.retry?.limit ?? 0) : '',
                    }
                  : {}),
              }}
            >
              <th scope="row">
                {service ? (
                  <>
                    <span className={row.route === '' ? table.muted : undefined}>{formatRouteName(row.route)}</span>
                    {row.configured && formatFault(row.configured) ? (
                      <span className={styles.subline}>fault injected: {formatFault(row.configured)}</span>
                    ) : null}
                  </>
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
              {service ? <ConfiguredCell configured={row.configured} /> : null}
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
              {service ? (
                <>
                  <td className={table.num} data-testid={TestIds.routeRetries} title={row.retries ? describeRetries(row.retries) : 'No retry series for this route'}>
                    <MetricValue value={row.retries?.rps ?? null} format={formatRps} />
                    {row.retries?.limitExceededRps ? (
                      <span className={styles.subline}>{formatRps(row.retries.limitExceededRps)} ran out</span>
                    ) : null}
                  </td>
                  <td
                    className={`${table.num} ${row.timeouts && timedOut(row.timeouts) > 0 ? table.warn : ''}`}
                    data-testid={TestIds.routeTimeouts}
                    title={row.timeouts ? describeTimeouts(row.timeouts) : 'No request outcomes for this route'}
                  >
                    <MetricValue value={row.timeouts ? timedOut(row.timeouts) : null} format={formatRps} />
                  </td>
                  <td className={table.muted}>{row.direction ? MEASURED_BY[row.direction] : 'nobody: configured only'}</td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RateCell({ value }: { value: number | null }) {
  return (
    <td className={`${table.num} ${LEVEL_CLASS[successLevel(value)]}`}>
      <MetricValue value={value} format={formatSuccessRate} />
    </td>
  );
}

/**
 * The route's configured timeout and retry policy, one line each; "—" (no data) when the configuration or the
 * route is not known.
 */
function ConfiguredCell({ configured }: { configured: RouteRow['configured'] }) {
  return (
    <td className={`${table.wrap} ${styles.configured}`}>
      <span className={styles.line}>
        <span className={styles.term}>timeout</span>{' '}
        <span data-testid={TestIds.routeTimeout}>{configured ? formatTimeouts(configured) : <MetricValue value={null} format={String} />}</span>
      </span>
      <span className={styles.line}>
        <span className={styles.term}>retry</span>{' '}
        <span data-testid={TestIds.routeRetry}>{configured ? formatRetryPolicy(configured) : <MetricValue value={null} format={String} />}</span>
      </span>
    </td>
  );
}
