'use client';

import type { TopologyNode } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { zipSeries } from '../../components/charts/chart-rows';
import { Sparkline } from '../../components/charts/sparkline';
import sidePanel from '../../components/layout/side-panel.module.css';
import { formatLatencyMs, formatRpsWithUnit, formatSuccessRate } from '../../lib/format';
import type { ViewParams } from '../../lib/view-params';
import { timeseriesQuery } from '../timeseries/queries';
import styles from './topology.module.css';

/** The workload's inbound RPS, success rate and P99 over the page's time range, as sparklines. */
export function PanelSparklines({ workload, view }: { workload: TopologyNode; view: ViewParams }) {
  const series = useQuery(timeseriesQuery({ kind: 'deployment', namespace: workload.namespace, name: workload.name }, view));
  const rows = useMemo(() => (series.data ? zipSeries(series.data.series) : []), [series.data]);
  const range = view.time.kind === 'relative' ? `last ${view.time.range}` : 'chosen range';
  return (
    <section className={styles.sparklines} aria-label={`Inbound traffic of ${workload.namespace}/${workload.name}`}>
      <p className={sidePanel.panelNote}>
        Inbound to {workload.namespace}/{workload.name} · {range}
      </p>
      {series.error && !series.data ? <p className={sidePanel.panelNote}>Series unavailable: {series.error.message}</p> : null}
      {series.data === undefined && !series.error ? <p className={sidePanel.panelNote}>Loading series…</p> : null}
      {series.data ? (
        <>
          <Sparkline label="RPS" rows={rows} dataKey="rps" tone="blue" format={formatRpsWithUnit} emptyText="no traffic" />
          <Sparkline label="Success rate" rows={rows} dataKey="successRate" tone="green" format={formatSuccessRate} />
          <Sparkline label="P99" rows={rows} dataKey="p99" tone="red" format={formatLatencyMs} />
        </>
      ) : null}
    </section>
  );
}
