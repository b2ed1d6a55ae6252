import type { ReactNode } from 'react';
import { PageHeader } from '../../components/layout/page-header';
import { refreshText } from '../../lib/refresh-text';
import type { ViewParams } from '../../lib/view-params';

/** The page's title row; before the page knows its URL (no view yet), without the refresh and without controls. */
export function WorkloadsHeader({ view, children }: { view?: ViewParams; children?: ReactNode }) {
  return (
    <PageHeader
      title="Workloads"
      titleId="workloads-title"
      subtitle={
        <>
          Deployments · golden metrics over the last {view?.window ?? '1m'}
          {view ? ` · ${refreshText(view)}` : ''}
        </>
      }
    >
      {children}
    </PageHeader>
  );
}
