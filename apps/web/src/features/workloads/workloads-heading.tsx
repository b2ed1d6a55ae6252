import page from '../../components/layout/page.module.css';
import { refreshText } from '../../lib/refresh-text';
import type { ViewParams } from '../../lib/view-params';

export function WorkloadsHeading({ view }: { view?: ViewParams }) {
  return (
    <div>
      <h1 id="workloads-title" className={page.title}>
        Workloads
      </h1>
      <p className={page.subtitle}>
        Deployments · golden metrics over the last {view?.window ?? '1m'}
        {view ? ` · ${refreshText(view)}` : ''}
      </p>
    </div>
  );
}
