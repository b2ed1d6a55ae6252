import type { StatsRow } from '@meshviz/mesh-types';
import { MetricValue } from '../../components/metrics/metric-value';
import { StatTile, StatTiles } from '../../components/metrics/stat-tiles';
import { formatLatencyMs, formatRpsWithUnit, formatSuccessRate, successLevel } from '../../lib/format';
import { TestIds } from '../../testids';

/** The workload's golden metrics as big numbers under the title. */
export function DetailStats({ row, window }: { row: StatsRow; window: string }) {
  const tile = TestIds.detailStat;
  return (
    <StatTiles testId={TestIds.detailHeader}>
      <StatTile label={`Success rate (${window})`} level={successLevel(row.successRate)} testId={tile} name="successRate">
        <MetricValue value={row.successRate} format={formatSuccessRate} />
      </StatTile>
      <StatTile label={`Traffic (${window})`} testId={tile} name="rps">
        {formatRpsWithUnit(row.rps)}
      </StatTile>
      <StatTile label="P50" testId={tile} name="p50">
        <MetricValue value={row.latencyMs.p50} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P95" testId={tile} name="p95">
        <MetricValue value={row.latencyMs.p95} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P99" testId={tile} name="p99">
        <MetricValue value={row.latencyMs.p99} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="Meshed pods" testId={tile} name="meshedPods">
        {row.meshedPods}
      </StatTile>
    </StatTiles>
  );
}
