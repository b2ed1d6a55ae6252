import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { RolloutsPage } from '../../features/rollouts/rollouts-page';

export const metadata: Metadata = { title: 'Rollouts' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Rollouts" />}>
      <RolloutsPage />
    </Suspense>
  );
}
