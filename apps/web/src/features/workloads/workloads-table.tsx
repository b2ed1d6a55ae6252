import type { StatsRow } from '@meshviz/mesh-types';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { formatLatencyMs, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { TestIds, WorkloadRowAttrs } from '../../testids';
import styles from './workloads.module.css';

interface Props {
  rows: readonly StatsRow[];
  window: string;
  /** True while the rows belong to the previous selection and the new one is loading. */
  stale?: boolean;
}

const LEVEL_CLASS = { good: styles.good, warn: styles.warn, bad: styles.bad, none: undefined } as const;

export function WorkloadsTable({ rows, window, stale = false }: Props) {
  return (
    <div className={styles.card}>
      <table
        className={styles.table}
        data-testid={TestIds.workloadsTable}
        aria-busy={stale || undefined}
        data-stale={stale || undefined}
      >
        <caption className="visually-hidden">Deployments with their golden metrics over the last {window}</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Workload</th>
            <th scope="col" className={styles.num}>
              Meshed pods
            </th>
            <th scope="col" className={styles.num}>
              Success rate
            </th>
            <th scope="col" className={styles.num}>
              RPS
            </th>
            <th scope="col" className={styles.num}>
              P50
            </th>
            <th scope="col" className={styles.num}>
              P95
            </th>
            <th scope="col" className={styles.num}>
              P99
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <WorkloadRow key={`${row.namespace}/${row.name}`} row={row} window={window} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkloadRow({ row, window }: { row: StatsRow; window: string }) {
  const attrs = {
    [WorkloadRowAttrs.namespace]: row.namespace,
    [WorkloadRowAttrs.workload]: row.name,
    [WorkloadRowAttrs.rps]: row.rps === null ? '' : String(row.rps),
  };
  return (
    <tr data-testid={TestIds.workloadRow} {...attrs}>
      <td className={styles.namespace}>{row.namespace}</td>
      <th scope="row" className={styles.name}>
        {row.name}
      </th>
      <td className={styles.num} data-testid={TestIds.workloadMeshedPods}>
        {row.meshedPods}
      </td>
      <td className={`${styles.num} ${LEVEL_CLASS[successLevel(row.successRate)] ?? ''}`} data-testid={TestIds.workloadSuccessRate}>
        <MetricValue value={row.successRate} format={formatSuccessRate} />
      </td>
      <td className={styles.num} data-testid={TestIds.workloadRps}>
        {row.rps === null ? <NoTraffic window={window} /> : formatRps(row.rps)}
      </td>
      <td className={styles.num} data-testid={TestIds.workloadP50}>
        <MetricValue value={row.latencyMs.p50} format={formatLatencyMs} />
      </td>
      <td className={styles.num} data-testid={TestIds.workloadP95}>
        <MetricValue value={row.latencyMs.p95} format={formatLatencyMs} />
      </td>
      <td className={styles.num} data-testid={TestIds.workloadP99}>
        <MetricValue value={row.latencyMs.p99} format={formatLatencyMs} />
      </td>
    </tr>
  );
}
