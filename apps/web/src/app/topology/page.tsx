import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { TopologyPage } from '../../features/topology/topology-page';

export const metadata: Metadata = { title: 'Topology' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Topology" />}>
      <TopologyPage />
    </Suspense>
  );
}
