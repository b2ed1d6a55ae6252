import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WorkloadsPage } from '../../features/workloads/workloads-page';
import { WorkloadsPageFallback } from '../../features/workloads/workloads-skeleton';

export const metadata: Metadata = { title: 'Workloads' };

// The page reads its namespace from the URL in the browser; the prerendered shell shows the skeleton.
export default function Page() {
  return (
    <Suspense fallback={<WorkloadsPageFallback />}>
      <WorkloadsPage />
    </Suspense>
  );
}
