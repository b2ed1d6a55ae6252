'use client';

import { ApiRequestError } from '@meshviz/api-client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { GoldenTiles } from '../../components/metrics/golden-tiles';
import { StatTile } from '../../components/metrics/stat-tiles';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { routesHref, topologyHref, workloadsHref } from '../../lib/links';
import { refreshText } from '../../lib/refresh-text';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { AuthorizationSection } from '../authz/authz-section';
import { GoldenCharts } from '../timeseries/golden-charts';
import { LiveCallsSection } from '../top/live-calls';
import { NeighboursSection, PodsSection, RoutesSection } from './detail-sections';
import { workloadDetailQuery } from './queries';

/**
 * /namespaces/<ns>/workloads/<name>: one workload's numbers, charts, neighbours, routes, authorization, live calls and
 * pods.
 */
export function WorkloadDetailPage({ namespace, name }: { namespace: string; name: string }) {
  const { view, params } = useViewParams();
  const detail = useQuery(workloadDetailQuery(namespace, name, view));
  const query = params.toString();
  const subject = `${namespace}/${name}`;
  const window = detail.data?.window ?? view.window;
  const notFound = detail.data === undefined && detail.error instanceof ApiRequestError && detail.error.status === 404;

  return (
    <section className={page.page} aria-labelledby="detail-title">
      <PageHeader
        title={name}
        titleId="detail-title"
        breadcrumb={
          <>
            <Link href={workloadsHref(null, query)}>Workloads</Link> / <Link href={workloadsHref(namespace, query)}>{namespace}</Link>
          </>
        }
        subtitle={
          <>
            Deployment in {namespace} · golden metrics over the last {window} · {refreshText(view)}
          </>
        }
      >
        <div className={page.controls}>
          <Link href={routesHref({ kind: 'workload', namespace, name }, query)}>Route charts</Link>
          <Link href={topologyHref(namespace, query)}>Topology of {namespace}</Link>
        </div>
      </PageHeader>
      {notFound ? null : <QueryErrorBanner queries={[detail]} />}
      {detail.data ? (
        <GoldenTiles metrics={detail.data.workload} window={window} testId={TestIds.detailHeader} tileTestId={TestIds.detailStat}>
          <StatTile label="Meshed pods" testId={TestIds.detailStat} name="meshedPods">
            {detail.data.workload.meshedPods}
          </StatTile>
        </GoldenTiles>
      ) : detail.isPending ? (
        <TableSkeleton label="Loading the workload…" rows={1} columns={6} />
      ) : notFound ? (
        <div className={`${page.card} ${page.empty}`} data-testid={TestIds.detailNotFound}>
          <h2>No workload {subject}</h2>
          <p>{detail.error?.message}</p>
          <p>
            Prometheus knows no meshed pod of it. Check the name, or pick one from the{' '}
            <Link href={workloadsHref(namespace, query)}>workloads of {namespace}</Link>.
          </p>
        </div>
      ) : null}
      {detail.data && detail.data.workload.meshedPods === 0 ? (
        <div className={`${page.card} ${page.empty}`}>
          <h2>Not meshed</h2>
          <p>No pod of {subject} runs the meshviz proxy (or none is scraped), so its own numbers are unknown.</p>
        </div>
      ) : null}
      {notFound ? null : (
        <>
          <section className={page.section} aria-labelledby="traffic-title">
            <h2 id="traffic-title" className={page.sectionTitle}>
              Traffic
            </h2>
            <GoldenCharts target={{ kind: 'deployment', namespace, name }} view={view} syncId="workload" subject={subject} />
          </section>
          {detail.data ? <NeighboursSection detail={detail.data} namespace={namespace} name={name} query={query} /> : null}
          <RoutesSection namespace={namespace} name={name} query={query} view={view} />
          <AuthorizationSection namespace={namespace} name={name} view={view} />
          <LiveCallsSection namespace={namespace} name={name} query={query} />
        </>
      )}
      {detail.data ? <PodsSection detail={detail.data} namespace={namespace} name={name} /> : null}
      {detail.data && !detail.isPlaceholderData ? <UpdatedAt at={detail.dataUpdatedAt} fetching={detail.isFetching} /> : null}
    </section>
  );
}
