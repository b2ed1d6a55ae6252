import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageFallback } from '../../components/layout/page-fallback';
import { TapPage } from '../../features/tap/tap-page';

export const metadata: Metadata = { title: 'Tap' };

export default function Page() {
  return (
    <Suspense fallback={<PageFallback title="Tap" />}>
      <TapPage />
    </Suspense>
  );
}
