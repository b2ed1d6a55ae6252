import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { TopPage } from '../../features/top/top-page';

export const metadata: Metadata = { title: 'Top' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Top" />}>
      <TopPage />
    </Suspense>
  );
}
