import type { Health } from '@meshviz/mesh-types';
import styles from './topology.module.css';

const TEXT: Record<Health, string> = { healthy: 'healthy', degraded: 'degraded', failing: 'failing', idle: 'idle · no traffic' };

export function HealthBadge({ health }: { health: Health }) {
  return (
    <span className={styles.healthBadge} data-health={health}>
      <span className={styles.dot} aria-hidden="true" />
      {TEXT[health]}
    </span>
  );
}
