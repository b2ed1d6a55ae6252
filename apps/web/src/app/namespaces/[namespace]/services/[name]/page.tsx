import { Dns1123Label } from '@meshviz/mesh-types';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { PageFallback } from '../../../../../components/layout/page-fallback';
import { ServiceDetailPage } from '../../../../../features/service-detail/service-page';

interface Props {
  params: Promise<{ namespace: string; name: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `${name} (service) · ${namespace}` };
}

export default async function Page({ params }: Props) {
  const { namespace, name } = await params;
  // Names that cannot exist in Kubernetes are a 404 here, before any API call.
  if (!Dns1123Label.safeParse(namespace).success || !Dns1123Label.safeParse(name).success) notFound();
  return (
    <Suspense fallback={<PageFallback title={name} />}>
      <ServiceDetailPage namespace={namespace} name={name} />
    </Suspense>
  );
}
