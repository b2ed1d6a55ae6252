import type { LatencyMs } from '@meshviz/mesh-types';
import { formatLatencyMs, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { TestIds } from '../../testids';
import table from '../data-table/table.module.css';
import { MetricValue, NoTraffic } from './metric-value';

export interface GoldenMetrics {
  rps: number | null;
  successRate: number | null;
  latencyMs: LatencyMs;
}

export interface GoldenIds {
  successRate: string;
  rps: string;
  p50: string;
  p95: string;
  p99: string;
}

const GENERIC_IDS: GoldenIds = {
  successRate: TestIds.metricSuccessRate,
  rps: TestIds.metricRps,
  p50: TestIds.metricP50,
  p95: TestIds.metricP95,
  p99: TestIds.metricP99,
};

export const LEVEL_CLASS = { good: table.good, warn: table.warn, bad: table.bad, none: '' } as const;

/** The column heads that go with GoldenCells, in the same order. */
export function GoldenHeaders() {
  return (
    <>
      <th scope="col" className={table.num}>
        Success rate
      </th>
      <th scope="col" className={table.num}>
        RPS
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
    </>
  );
}

/** Success rate, RPS and latency quantiles as table cells: no traffic and no data are marked, never 0. */
export function GoldenCells({ metrics, window, ids = GENERIC_IDS }: { metrics: GoldenMetrics; window: string; ids?: GoldenIds }) {
  return (
    <>
      <td className={`${table.num} ${LEVEL_CLASS[successLevel(metrics.successRate)]}`} data-testid={ids.successRate}>
        <MetricValue value={metrics.successRate} format={formatSuccessRate} />
      </td>
      <td className={table.num} data-testid={ids.rps}>
        {metrics.rps === null ? <NoTraffic window={window} /> : formatRps(metrics.rps)}
      </td>
      <td className={table.num} data-testid={ids.p50}>
        <MetricValue value={metrics.latencyMs.p50} format={formatLatencyMs} />
      </td>
      <td className={table.num} data-testid={ids.p95}>
        <MetricValue value={metrics.latencyMs.p95} format={formatLatencyMs} />
      </td>
      <td className={table.num} data-testid={ids.p99}>
        <MetricValue value={metrics.latencyMs.p99} format={formatLatencyMs} />
      </td>
    </>
  );
}
