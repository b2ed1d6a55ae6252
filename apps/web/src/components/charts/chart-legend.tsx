'use client';

import { RowAttrs, TestIds } from '../../testids';
import { palette, type Tone } from '../theme/palette';
import { useTheme } from '../theme/use-theme';
import styles from './charts.module.css';

export interface SeriesDef {
  key: string;
  label: string;
  tone: Tone;
}

interface Props {
  series: readonly SeriesDef[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}

/** Buttons that show and hide a chart's lines; pressed means shown. */
export function ChartLegend({ series, hidden, onToggle }: Props) {
  const colours = palette(useTheme()).tones;
  return (
    <ul className={styles.legend}>
      {series.map((s) => (
        <li key={s.key}>
          <button
            type="button"
            className={styles.legendItem}
            aria-pressed={!hidden.has(s.key)}
            onClick={() => onToggle(s.key)}
            data-testid={TestIds.chartLegendItem}
            {...{ [RowAttrs.series]: s.key }}
          >
            <span className={styles.swatch} style={{ background: colours[s.tone] }} aria-hidden="true" />
            {s.label}
          </button>
        </li>
      ))}
    </ul>
  );
}
