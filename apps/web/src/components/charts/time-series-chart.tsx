'use client';

import type { ComponentProps } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClockTick } from '../../lib/time-format';
import { RowAttrs, TestIds } from '../../testids';
import { palette } from '../theme/palette';
import { useTheme } from '../theme/use-theme';
import { ChartLegend, type SeriesDef } from './chart-legend';
import { type ChartRow, countValues } from './chart-rows';
import { ChartTooltip } from './chart-tooltip';
import styles from './charts.module.css';
import { timeTicks } from './ticks';

export type { SeriesDef } from './chart-legend';
export type AxisDomain = NonNullable<ComponentProps<typeof YAxis>['domain']>;

interface Props {
  /** Stable name for tests and styling (success, rps, latency). */
  name: string;
  title: string;
  rows: readonly ChartRow[];
  series: readonly SeriesDef[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
  /** Formats values with their unit (tooltip and axis). */
  format: (value: number) => string;
  /** Shorter axis labels, when the tooltip's are too long. */
  tickFormat?: (value: number) => string;
  /** The time range shown, in unix seconds; the axis spans it even where there is no data. */
  start: number;
  end: number;
  yDomain?: AxisDomain;
  /** Where the value axis has its ticks (default: recharts picks). */
  yTicks?: number[];
  /** Charts with the same syncId share the hover crosshair. */
  syncId?: string;
  height?: number;
  /** Shown over the plot when no series has a value in the range. */
  emptyText: string;
}

/** A line chart of aligned time series. Nulls are gaps (connectNulls off), never zeros. */
export function TimeSeriesChart(props: Props) {
  const { rows, series, hidden, format, start, end, height = 200 } = props;
  const colours = palette(useTheme());
  const span = end - start;
  const values = countValues(rows, series.map((s) => s.key));
  const axisTick = { fill: colours.textMuted, fontSize: 11 };
  return (
    <figure className={styles.figure} data-testid={TestIds.chart} {...{ [RowAttrs.chart]: props.name, [RowAttrs.points]: values }}>
      <figcaption className={styles.caption}>
        <span className={styles.title}>{props.title}</span>
        <ChartLegend series={series} hidden={hidden} onToggle={props.onToggle} />
      </figcaption>
      <div className={styles.plot} style={{ height }}>
        <LineChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={rows as ChartRow[]}
          syncId={props.syncId}
          margin={{ top: 8, right: 16, bottom: 0, left: 4 }}
          title={props.title}
        >
          <CartesianGrid stroke={colours.grid} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[start, end]}
            ticks={timeTicks(start, end)}
            allowDataOverflow
            tickFormatter={formatClockTick}
            tick={axisTick}
            stroke={colours.border}
          />
          <YAxis width="auto" domain={props.yDomain} ticks={props.yTicks} tickFormatter={props.tickFormat ?? format} tick={axisTick} stroke={colours.border} />
          <Tooltip
            content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} format={format} spanSeconds={span} />}
            cursor={{ stroke: colours.textMuted, strokeDasharray: '3 3' }}
            isAnimationActive={false}
          />
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="linear"
              stroke={colours.tones[s.tone]}
              strokeWidth={1.75}
              dot={false}
              activeDot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
              hide={hidden.has(s.key)}
            />
          ))}
        </LineChart>
        {values === 0 ? (
          <p className={styles.empty} data-testid={TestIds.chartEmpty}>
            {props.emptyText}
          </p>
        ) : null}
      </div>
    </figure>
  );
}
