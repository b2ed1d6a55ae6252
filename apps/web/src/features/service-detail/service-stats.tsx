import type { ServiceSummary } from '@meshviz/mesh-types';
import { MetricValue } from '../../components/metrics/metric-value';
import { StatTile, StatTiles } from '../../components/metrics/stat-tiles';
import { formatLatencyMs, formatPercentTick, formatRpsWithUnit, formatSuccessRate, successLevel } from '../../lib/format';
import { TestIds } from '../../testids';

/** The service's golden metrics as its callers measured them, as big numbers under the title. */
export function ServiceStats({ service, window }: { service: ServiceSummary; window: string }) {
  const tile = TestIds.serviceStat;
  return (
    <StatTiles testId={TestIds.serviceHeader}>
      <StatTile label={`Success rate (${window})`} level={successLevel(service.successRate)} testId={tile} name="successRate">
        <MetricValue value={service.successRate} format={formatSuccessRate} />
      </StatTile>
      <StatTile label={`Traffic (${window})`} testId={tile} name="rps">
        {formatRpsWithUnit(service.rps)}
      </StatTile>
      <StatTile label="P50" testId={tile} name="p50">
        <MetricValue value={service.latencyMs.p50} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P95" testId={tile} name="p95">
        <MetricValue value={service.latencyMs.p95} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="P99" testId={tile} name="p99">
        <MetricValue value={service.latencyMs.p99} format={formatLatencyMs} />
      </StatTile>
      <StatTile label="mTLS" testId={tile} name="mtlsShare">
        <MetricValue value={service.mtlsShare} format={formatPercentTick} />
      </StatTile>
    </StatTiles>
  );
}
