'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import { valueRange, zipSeries } from '../../components/charts/chart-rows';
import { niceTicks, successTicks } from '../../components/charts/ticks';
import { type SeriesDef, TimeSeriesChart } from '../../components/charts/time-series-chart';
import { isPrometheusOutage } from '../../components/metrics-outage/outage';
import { BlockSkeleton } from '../../components/skeleton/table-skeleton';
import { formatLatencyMs, formatLatencyTick, formatPercentTick, formatRpsTick, formatRpsWithUnit, formatSuccessRate } from '../../lib/format';
import { formatDateTime } from '../../lib/time-format';
import type { ViewParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import styles from './golden-charts.module.css';
import { type TimeseriesTarget, timeseriesQuery } from './queries';
import { useHiddenSeries } from './use-hidden-series';

const SUCCESS: readonly SeriesDef[] = [{ key: 'successRate', label: 'Success', tone: 'green' }];
const RPS: readonly SeriesDef[] = [{ key: 'rps', label: 'RPS', tone: 'blue' }];
const LATENCY: readonly SeriesDef[] = [
  { key: 'p50', label: 'P50', tone: 'blue' },
  { key: 'p95', label: 'P95', tone: 'orange' },
  { key: 'p99', label: 'P99', tone: 'red' },
];

interface Props {
  target: TimeseriesTarget;
  view: ViewParams;
  /** Charts with the same syncId share the hover crosshair (one per page). */
  syncId: string;
  /** Who the series belong to, for the empty state ("bookshop/web"). */
  subject: string;
  testId?: string;
}

/** Success rate, RPS and P50/P95/P99 of one target over the page's time range. */
export function GoldenCharts({ target, view, syncId, subject, testId = TestIds.goldenCharts }: Props) {
  const series = useQuery(timeseriesQuery(target, view));
  const [hidden, toggle] = useHiddenSeries();
  const rows = useMemo(() => (series.data ? zipSeries(series.data.series) : []), [series.data]);
  // Round axes: success from a round floor to 100 %, rates and latencies from 0 to a round top of what is shown.
  const axes = useMemo(() => {
    const shownLatency = LATENCY.map((s) => s.key).filter((key) => !hidden.has(key));
    return {
      success: successTicks(valueRange(rows, ['successRate']).min),
      rps: niceTicks(valueRange(rows, ['rps']).max),
      latency: niceTicks(valueRange(rows, shownLatency).max),
    };
  }, [rows, hidden]);

  if (series.data === undefined) {
    if (series.error && isPrometheusOutage(series.error)) return <p className={styles.waiting}>The charts appear once Prometheus answers.</p>;
    if (series.error) return <ApiErrorBanner error={series.error} />;
    return (
      <div className={styles.grid}>
        <BlockSkeleton label="Loading charts…" height={236} />
        <BlockSkeleton label="" height={236} />
        <BlockSkeleton label="" height={236} />
      </div>
    );
  }
  const { start, end } = series.data;
  const when = view.time.kind === 'relative' ? `in the last ${view.time.range}` : `between ${formatDateTime(start)} and ${formatDateTime(end)}`;
  const empty = `No traffic to ${subject} ${when}.`;
  const common = { rows, hidden, onToggle: toggle, start, end, syncId, emptyText: empty };
  return (
    <div className={styles.wrap} data-testid={testId}>
      {series.error ? <ApiErrorBanner error={series.error} lastGoodAt={series.dataUpdatedAt} /> : null}
      <div className={styles.grid} data-stale={series.isPlaceholderData || undefined}>
        <TimeSeriesChart
          name="success"
          title="Success rate"
          series={SUCCESS}
          format={formatSuccessRate}
          tickFormat={formatPercentTick}
          yDomain={axes.success.domain}
          yTicks={axes.success.ticks}
          {...common}
        />
        <TimeSeriesChart
          name="rps"
          title="Requests per second"
          series={RPS}
          format={formatRpsWithUnit}
          tickFormat={formatRpsTick}
          yDomain={axes.rps.domain}
          yTicks={axes.rps.ticks}
          {...common}
        />
        <TimeSeriesChart
          name="latency"
          title="Latency"
          series={LATENCY}
          format={formatLatencyMs}
          tickFormat={formatLatencyTick}
          yDomain={axes.latency.domain}
          yTicks={axes.latency.ticks}
          {...common}
        />
      </div>
    </div>
  );
}

