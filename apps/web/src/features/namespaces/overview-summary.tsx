import { MetricValue } from '../../components/metrics/metric-value';
import { StatTile, StatTiles } from '../../components/metrics/stat-tiles';
import { formatRpsWithUnit, formatSuccessRate, successLevel } from '../../lib/format';
import { TestIds } from '../../testids';
import type { MeshTotals } from './totals';

/** Four tiles over the namespace table: namespaces, meshed pods, traffic and success overall. */
export function OverviewSummary({ totals, window }: { totals: MeshTotals; window: string }) {
  return (
    <StatTiles testId={TestIds.overviewSummary}>
      <StatTile label="Namespaces">{totals.namespaces}</StatTile>
      <StatTile label="Meshed pods">{totals.meshedPods}</StatTile>
      <StatTile label={`Inbound traffic (${window})`}>{formatRpsWithUnit(totals.rps)}</StatTile>
      <StatTile label={`Success rate (${window})`} level={successLevel(totals.successRate)}>
        <MetricValue value={totals.successRate} format={formatSuccessRate} />
      </StatTile>
    </StatTiles>
  );
}
