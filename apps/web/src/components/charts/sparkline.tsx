'use client';

import { Line, LineChart, XAxis, YAxis } from 'recharts';
import { TestIds } from '../../testids';
import { palette, type Tone } from '../theme/palette';
import { useTheme } from '../theme/use-theme';
import { type ChartRow, latestValue } from './chart-rows';
import styles from './charts.module.css';

interface Props {
  label: string;
  rows: readonly ChartRow[];
  dataKey: string;
  tone: Tone;
  format: (value: number) => string;
  /** What the latest value reads when the series has none. */
  emptyText?: string;
}

/** A small line without axes; the caption carries the latest value for people and screen readers. */
export function Sparkline({ label, rows, dataKey, tone, format, emptyText = 'no data' }: Props) {
  const colours = palette(useTheme());
  const latest = latestValue(rows, dataKey);
  return (
    <figure className={styles.sparkline} data-testid={TestIds.sparkline}>
      <figcaption className={styles.sparkCaption}>
        <span>{label}</span>
        <strong>{latest === null ? emptyText : format(latest)}</strong>
      </figcaption>
      <div className={styles.sparkPlot} aria-hidden="true">
        <LineChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={rows as ChartRow[]}
          margin={{ top: 2, right: 0, bottom: 2, left: 0 }}
          accessibilityLayer={false}
        >
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} hide />
          <YAxis domain={['auto', 'auto']} hide />
          <Line dataKey={dataKey} stroke={colours.tones[tone]} strokeWidth={1.5} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </div>
    </figure>
  );
}
