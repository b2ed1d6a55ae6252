import page from '../../components/layout/page.module.css';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { TestIds } from '../../testids';
import { WorkloadsHeader } from './workloads-header';

/** Stands where the table will be while the first answer is on its way. */
export function WorkloadsSkeleton() {
  return <TableSkeleton label="Loading workloads…" testId={TestIds.workloadsSkeleton} />;
}

/** What the page looks like before it knows its URL: the heading and the skeleton, no data yet. */
export function WorkloadsPageFallback() {
  return (
    <section className={page.page} aria-labelledby="workloads-title">
      <WorkloadsHeader />
      <WorkloadsSkeleton />
    </section>
  );
}
