'use client';

import type { StatsResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { UpdatedAt } from '../../components/layout/updated-at';
import { NamespaceSelect } from '../../components/namespace-select/namespace-select';
import { sortRows } from '../../lib/namespaces';
import { useNamespaceParam } from '../../lib/use-namespace-param';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { workloadStatsQuery } from '../stats/queries';
import { useNamespaceOptions } from '../stats/use-namespace-options';
import { WorkloadsEmpty } from './workloads-empty';
import { WorkloadsHeader } from './workloads-header';
import { WorkloadsSkeleton } from './workloads-skeleton';
import { WorkloadsTable } from './workloads-table';

/** /workloads: every deployment's golden metrics, refreshed on its own, filtered by the URL's namespace. */
export function WorkloadsPage() {
  const { view, params } = useViewParams();
  const [namespace, setNamespace] = useNamespaceParam();
  const stats = useQuery(workloadStatsQuery(namespace, view));
  const options = useNamespaceOptions(view, namespace, stats.data?.rows);

  return (
    <section className={page.page} aria-labelledby="workloads-title">
      <WorkloadsHeader view={view}>
        <NamespaceSelect value={namespace} options={options} onChange={setNamespace} />
      </WorkloadsHeader>
      <QueryErrorBanner queries={[stats]} />
      <WorkloadsBody
        data={stats.data}
        namespace={namespace}
        pending={stats.isPending}
        stale={stats.isPlaceholderData}
        query={params.toString()}
      />
      {stats.data && !stats.isPlaceholderData ? (
        <UpdatedAt at={stats.dataUpdatedAt} fetching={stats.isFetching} testId={TestIds.workloadsUpdatedAt} />
      ) : null}
    </section>
  );
}

interface BodyProps {
  data: StatsResponse | undefined;
  namespace: string;
  /** No answer yet (the first request or its retries are under way). */
  pending: boolean;
  /** The rows belong to the previous namespace while the new one loads. */
  stale: boolean;
  query: string;
}

function WorkloadsBody({ data, namespace, pending, stale, query }: BodyProps) {
  if (data === undefined) {
    if (pending) return <WorkloadsSkeleton />;
    return <p className={`${page.card} ${page.empty} ${page.muted}`}>No workload data yet. The table appears as soon as the API answers.</p>;
  }
  if (data.rows.length === 0) return <WorkloadsEmpty namespace={namespace} />;
  return <WorkloadsTable rows={sortRows(data.rows)} window={data.window} stale={stale} query={query} />;
}
