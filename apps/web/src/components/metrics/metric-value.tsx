import { NO_DATA, NO_TRAFFIC } from '../../lib/format';
import styles from './metrics.module.css';

/** A formatted measurement; null renders an em dash that screen readers announce as "no data". */
export function MetricValue({ value, format }: { value: number | null; format: (value: number) => string }) {
  if (value === null) return <NoData />;
  return <>{format(value)}</>;
}

export function NoData() {
  return (
    <span className={styles.noData} role="img" aria-label="no data" title="no data">
      {NO_DATA}
    </span>
  );
}

/** Marks "no response seen in the window", which is not the same as a measured 0. */
export function NoTraffic({ window }: { window: string }) {
  return (
    <span className={styles.noTraffic} title={`No responses in the last ${window}`}>
      {NO_TRAFFIC}
    </span>
  );
}
