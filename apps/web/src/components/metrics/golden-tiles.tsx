import type { ReactNode } from 'react';
import { formatLatencyMs, formatRpsWithUnit, formatSuccessRate, successLevel } from '../../lib/format';
import type { GoldenMetrics } from './golden-cells';
import { MetricValue } from './metric-value';
import { StatTile, StatTiles } from './stat-tiles';

interface Props {
  metrics: GoldenMetrics;
  /** The window the numbers cover ("5m"), named in the rate and traffic labels. */
  window: string;
  /** The test id of the row. */
  testId: string;
  /** The test id of every tile in the row (data-name tells them apart). */
  tileTestId: string;
  /** The page's own tile after the golden five (one StatTile). */
  children?: ReactNode;
}

/** Golden metrics as big numbers under a detail page's title: success rate, traffic, P50, P95 and P99, then the page's own tile. */
export function GoldenTiles({ metrics, window, testId, tileTestId, children }: Props) {
  return (
    <StatTiles testId={testId}>
      <StatTile label={`Success rate (${window})`} level={successLevel(metrics.successRate)} testId={tileTestId} name="successRate">
        <MetricValue value={metrics.successRate} format={formatSuccessRate} />
      </StatTile>
      <StatTile label={`Traffic (${window})`} testId={tileTestId} name="rps">
        {formatRpsWithUnit(metrics.rps)}
      </StatTile>
      <StatTile label="P50" testId={tileTestId} name="p50">
        <MetricValue value={metrics.latencyMs.p50} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P95" testId={tileTestId} name="p95">
        <MetricValue value={metrics.latencyMs.p95} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P99" testId={tileTestId} name="p99">
        <MetricValue value={metrics.latencyMs.p99} format={formatLatencyMs} />
      </StatTile>
      {children}
    </StatTiles>
  );
}
