import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { RoutesPage } from '../../features/routes/routes-page';

export const metadata: Metadata = { title: 'Routes' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Routes" />}>
      <RoutesPage />
    </Suspense>
  );
}
