import { TestIds } from '../../testids';
import page from '../layout/page.module.css';
import styles from './skeleton.module.css';

interface Props {
  /** What is loading, for screen readers ("Loading workloads…"). */
  label: string;
  rows?: number;
  columns?: number;
  testId?: string;
}

/** Stands where a table will be while its first answer is on the way. */
export function TableSkeleton({ label, rows = 5, columns = 8, testId = TestIds.pageSkeleton }: Props) {
  return (
    <div className={page.card} data-testid={testId} aria-busy="true">
      <p className="visually-hidden" role="status">
        {label}
      </p>
      <div className={styles.head} aria-hidden="true" />
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <div key={row} className={styles.row} style={{ gridTemplateColumns: `repeat(${columns}, 1fr)` }} aria-hidden="true">
          {Array.from({ length: columns }, (_, column) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <span key={column} className={styles.cell} />
          ))}
        </div>
      ))}
    </div>
  );
}

/** A block placeholder of a given height (charts, graphs). */
export function BlockSkeleton({ label, height }: { label: string; height: number | string }) {
  return (
    <div className={`${page.card} ${styles.block}`} style={{ height }} aria-busy="true" data-testid={TestIds.pageSkeleton}>
      <p className="visually-hidden" role="status">
        {label}
      </p>
    </div>
  );
}
