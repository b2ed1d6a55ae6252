'use client';

import type { StatsResponse } from '@meshviz/mesh-types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import { TestIds } from '../../testids';
import { NamespaceSelect } from './namespace-select';
import { ALL_NAMESPACES, namespaceOptions, sortRows } from './namespaces';
import { workloadStatsQuery } from './queries';
import { useNamespaceParam } from './use-namespace-param';
import { WorkloadsEmpty } from './workloads-empty';
import { WorkloadsHeading } from './workloads-heading';
import { WorkloadsSkeleton } from './workloads-skeleton';
import { WorkloadsTable } from './workloads-table';
import styles from './workloads.module.css';

/** /workloads: every deployment's golden metrics, refreshed on its own, filtered by the URL's namespace. */
export function WorkloadsPage() {
  const [namespace, setNamespace] = useNamespaceParam();
  const stats = useQuery(workloadStatsQuery(namespace));
  const queryClient = useQueryClient();
  // Namespaces for the selector: this answer's, plus those of an all-namespaces answer seen earlier.
  const allRows = queryClient.getQueryData(workloadStatsQuery(ALL_NAMESPACES).queryKey)?.rows;
  const options = namespaceOptions([stats.data?.rows, allRows], namespace);

  return (
    <section className={styles.page} aria-labelledby="workloads-title">
      <div className={styles.toolbar}>
        <WorkloadsHeading />
        <NamespaceSelect value={namespace} options={options} onChange={setNamespace} />
      </div>
      {stats.error ? (
        <ApiErrorBanner error={stats.error} lastGoodAt={stats.data ? stats.dataUpdatedAt : undefined} />
      ) : null}
      <WorkloadsBody data={stats.data} namespace={namespace} pending={stats.isPending} stale={stats.isPlaceholderData} />
      {stats.data && !stats.isPlaceholderData ? (
        <p className={styles.updated} data-testid={TestIds.workloadsUpdatedAt}>
          Updated {new Date(stats.dataUpdatedAt).toLocaleTimeString()}
          {stats.isFetching ? ' · refreshing…' : ''}
        </p>
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
}

function WorkloadsBody({ data, namespace, pending, stale }: BodyProps) {
  if (data === undefined) {
    if (pending) return <WorkloadsSkeleton />;
    return <p className={`${styles.card} ${styles.noDataYet}`}>No workload data yet. The table appears as soon as the API answers.</p>;
  }
  if (data.rows.length === 0) return <WorkloadsEmpty namespace={namespace} />;
  return <WorkloadsTable rows={sortRows(data.rows)} window={data.window} stale={stale} />;
}
