import type { ServiceBackend } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { SecuredBadge } from '../../components/security/secured-badge';
import { formatLatencyMs, formatPercentTick, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { routesHref, tapHref, workloadHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';
import styles from './service-detail.module.css';

interface Props {
  rows: readonly ServiceBackend[];
  window: string;
  query: string;
  /** "bookshop/catalog", for the caption and the empty state. */
  subject: string;
}

/**
 * The workloads serving the service: the part of its requests each took and what the callers saw of them, beside
 * the workload's own inbound numbers (all it answered, through any service); each links to its page, routes and Tap.
 */
export function BackendsTable({ rows, window, query, subject }: Props) {
  if (rows.length === 0) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.neighboursEmpty} data-direction="backend">
        No workload served {subject} in the last {window}.
      </p>
    );
  }
  const sorted = [...rows].sort((a, b) => (b.rps ?? -1) - (a.rps ?? -1) || a.name.localeCompare(b.name));
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.backendsTable}>
        <caption className="visually-hidden">
          Workloads serving {subject}, over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col" className={table.num} title="Part of the service's requests this workload served">
              Share
            </th>
            <th scope="col" className={table.num} title="As the callers saw it">
              Success rate
            </th>
            <th scope="col" className={table.num} title="As the callers saw it">
              RPS
            </th>
            <th scope="col" className={table.num} title="As the callers saw it">
              P99
            </th>
            <th scope="col" className={table.num} title="Everything the workload answered, through any service">
              Own success
            </th>
            <th scope="col" className={table.num} title="Everything the workload answered, through any service">
              Own RPS
            </th>
            <th scope="col" className={table.num}>
              Meshed pods
            </th>
            <th scope="col">Security</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr
              key={row.id}
              data-testid={TestIds.backendRow}
              {...{
                [RowAttrs.namespace]: row.namespace,
                [RowAttrs.name]: row.name,
                [RowAttrs.rps]: row.rps === null ? '' : String(row.rps),
                [RowAttrs.share]: row.share === null ? '' : String(row.share),
                [RowAttrs.secured]: String(row.secured),
              }}
            >
              <th scope="row">
                <Link className={table.rowLink} href={workloadHref(row.namespace, row.name, query)}>
                  {row.namespace}/{row.name}
                </Link>
                <span className={`${styles.links} ${table.muted}`}>
                  <Link href={routesHref({ kind: 'workload', namespace: row.namespace, name: row.name }, query)} data-testid={TestIds.backendRoutesLink}>
                    routes<span className="visually-hidden"> of {row.name}</span>
                  </Link>{' '}
                  ·{' '}
                  <Link href={tapHref(row.namespace, row.name, query)} data-testid={TestIds.backendTapLink}>
                    tap<span className="visually-hidden"> {row.name}</span>
                  </Link>
                </span>
              </th>
              <td className={table.num}>
                <MetricValue value={row.share} format={formatPercentTick} />
              </td>
              <td className={`${table.num} ${LEVEL_CLASS[successLevel(row.successRate)]}`}>
                <MetricValue value={row.successRate} format={formatSuccessRate} />
              </td>
              <td className={table.num}>{row.rps === null ? <NoTraffic window={window} /> : formatRps(row.rps)}</td>
              <td className={table.num}>
                <MetricValue value={row.latencyMs.p99} format={formatLatencyMs} />
              </td>
              <td className={`${table.num} ${LEVEL_CLASS[successLevel(row.inbound.successRate)]}`}>
                <MetricValue value={row.inbound.successRate} format={formatSuccessRate} />
              </td>
              <td className={table.num}>{row.inbound.rps === null ? <NoTraffic window={window} /> : formatRps(row.inbound.rps)}</td>
              <td className={table.num}>{row.inbound.meshedPods}</td>
              <td className={table.wrap}>
                <SecuredBadge secured={row.secured} reason={row.insecureReason} share={row.mtlsShare} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
