import { NO_DATA } from '../../lib/format';
import { formatClock } from '../../lib/time-format';
import styles from './charts.module.css';

interface Entry {
  dataKey?: unknown;
  name?: unknown;
  value?: unknown;
  color?: string;
}

interface Props {
  active?: boolean;
  payload?: readonly Entry[];
  label?: unknown;
  format: (value: number) => string;
  spanSeconds: number;
}

/** The crosshair's read-out: the time, then each shown series with its unit; a gap reads "no data". */
export function ChartTooltip({ active, payload, label, format, spanSeconds }: Props) {
  if (!active || !payload || payload.length === 0 || typeof label !== 'number') return null;
  return (
    <div className={styles.tooltip}>
      <p className={styles.tooltipTime}>{formatClock(label, Math.min(spanSeconds, 900))}</p>
      <ul>
        {payload.map((entry) => (
          <li key={String(entry.dataKey)}>
            <span className={styles.swatch} style={{ background: entry.color }} aria-hidden="true" />
            <span>{String(entry.name)}</span>
            <strong>{typeof entry.value === 'number' ? format(entry.value) : NO_DATA}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
