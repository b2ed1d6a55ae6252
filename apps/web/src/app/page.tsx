import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../components/layout/page-fallback';
import { OverviewPage } from '../features/namespaces/overview-page';

export const metadata: Metadata = { title: { absolute: 'Overview · meshviz' } };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Overview" />}>
      <OverviewPage />
    </Suspense>
  );
}
