import styles from './workloads.module.css';
import { WORKLOADS_REFRESH_MS, WORKLOADS_WINDOW } from './queries';

export function WorkloadsHeading() {
  return (
    <div>
      <h1 id="workloads-title" className={styles.title}>
        Workloads
      </h1>
      <p className={styles.subtitle}>
        Deployments · golden metrics over the last {WORKLOADS_WINDOW} · refreshes every {WORKLOADS_REFRESH_MS / 1000} s
      </p>
    </div>
  );
}
