import type { HealthThresholds } from '@meshviz/mesh-types';
import { LockIcon } from '../../components/security/secured-badge';
import { formatPercentTick } from '../../lib/format';
import { TestIds } from '../../testids';
import styles from './topology.module.css';

/** What colours, shapes, the lock and the no-entry sign mean; the health thresholds come from the API's answer. */
export function TopologyLegend({ thresholds, window }: { thresholds: HealthThresholds; window: string }) {
  const healthy = formatPercentTick(thresholds.healthy);
  const degraded = formatPercentTick(thresholds.degraded);
  return (
    <section className={styles.legend} aria-label="Legend" data-testid={TestIds.topologyLegend}>
      <div className={styles.legendGroup}>
        <span className={styles.legendTitle}>Success rate ({window})</span>
        <span className={styles.legendItem} data-health="healthy">
          <span className={styles.dot} aria-hidden="true" /> healthy ≥ {healthy}
        </span>
        <span className={styles.legendItem} data-health="degraded">
          <span className={styles.dot} aria-hidden="true" /> degraded ≥ {degraded}
        </span>
        <span className={styles.legendItem} data-health="failing">
          <span className={styles.dot} aria-hidden="true" /> failing &lt; {degraded}
        </span>
        <span className={styles.legendItem} data-health="idle">
          <span className={styles.dot} aria-hidden="true" /> idle · no traffic
        </span>
      </div>
      <div className={styles.legendGroup}>
        <span className={styles.legendTitle}>Nodes</span>
        <span className={styles.legendItem}>
          <svg viewBox="0 0 20 14" className={styles.shape} aria-hidden="true">
            <rect x="1.5" y="1.5" width="17" height="11" rx="3" />
          </svg>
          workload
        </span>
        <span className={styles.legendItem}>
          <svg viewBox="0 0 20 14" className={styles.shape} aria-hidden="true">
            <path d="M10 1 L17 7 L10 13 L3 7 Z" />
          </svg>
          service
        </span>
        <span className={styles.legendItem}>
          <svg viewBox="0 0 20 14" className={styles.shape} aria-hidden="true">
            <circle cx="10" cy="7" r="5.5" strokeDasharray="1.5 1.8" />
          </svg>
          unmeshed clients
        </span>
        <span className={styles.legendItem} data-health="failing">
          <svg viewBox="0 0 20 14" className={styles.shape} aria-hidden="true">
            <rect x="1.5" y="1.5" width="17" height="11" rx="3" strokeDasharray="3 2" />
          </svg>
          dead: called, no meshed pods
        </span>
      </div>
      <div className={styles.legendGroup}>
        <span className={styles.legendTitle}>Edges</span>
        <span className={`${styles.legendItem} ${styles.lock}`}>
          <LockIcon /> all traffic over mTLS
        </span>
        <span className={`${styles.legendItem} ${styles.deniedLegend}`} data-legend="denied">
          <svg viewBox="0 0 34 14" className={styles.deniedLine} aria-hidden="true">
            <path d="M1 7 H33" strokeDasharray="5 3" />
            <circle cx="24" cy="7" r="5.2" className={styles.deniedSign} />
            <path d="M21.3 7 H26.7" className={styles.deniedBar} />
          </svg>
          refused by policy (label: denied rps)
        </span>
        <span className={styles.legendItem} data-legend="split">
          <svg viewBox="0 0 34 14" className={styles.splitLine} aria-hidden="true">
            <path d="M1 7 H33" strokeDasharray="1.5 2.5" />
          </svg>
          traffic split (label: measured share · w configured weight)
        </span>
        <span className={styles.legendItem}>width: requests per second</span>
      </div>
    </section>
  );
}
