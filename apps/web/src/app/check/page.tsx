import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { CheckPage } from '../../features/check/check-page';

export const metadata: Metadata = { title: 'Check' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Check" />}>
      <CheckPage />
    </Suspense>
  );
}
