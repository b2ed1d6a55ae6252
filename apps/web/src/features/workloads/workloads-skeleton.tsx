import { TestIds } from '../../testids';
import { WorkloadsHeading } from './workloads-heading';
import styles from './workloads.module.css';

const ROWS = 5;
const COLUMNS = 8;

/** Stands where the table will be while the first answer is on its way. */
export function WorkloadsSkeleton() {
  return (
    <div className={styles.card} data-testid={TestIds.workloadsSkeleton} aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading workloads…
      </p>
      <div className={styles.skeletonHead} aria-hidden="true" />
      {Array.from({ length: ROWS }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <div key={row} className={styles.skeletonRow} aria-hidden="true">
          {Array.from({ length: COLUMNS }, (_, column) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <span key={column} className={styles.skeletonCell} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** What the page looks like before it knows its URL: the heading and the skeleton, no data yet. */
export function WorkloadsPageFallback() {
  return (
    <section className={styles.page} aria-labelledby="workloads-title">
      <div className={styles.toolbar}>
        <WorkloadsHeading />
      </div>
      <WorkloadsSkeleton />
    </section>
  );
}
