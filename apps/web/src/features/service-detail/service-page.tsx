'use client';

import { ApiRequestError } from '@meshviz/api-client';
import type { ServiceDetailResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { GoldenTiles } from '../../components/metrics/golden-tiles';
import { MetricValue } from '../../components/metrics/metric-value';
import { StatTile } from '../../components/metrics/stat-tiles';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { formatPercentTick } from '../../lib/format';
import { routesHref, tapHref, topologyHref } from '../../lib/links';
import { refreshText } from '../../lib/refresh-text';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { NeighbourGraph } from '../topology/neighbour-graph';
import { NeighboursTable } from '../workload-detail/neighbours-table';
import { BackendsTable } from './backends-table';
import { EndpointsTable } from './endpoints-table';
import { serviceDetailQuery } from './queries';
import { SplitSection } from './split-section';

/** /namespaces/<ns>/services/<name>: one service as its callers measured it, who calls it and who serves it. */
export function ServiceDetailPage({ namespace, name }: { namespace: string; name: string }) {
  const { view, params } = useViewParams();
  const detail = useQuery(serviceDetailQuery(namespace, name, view));
  const query = params.toString();
  const subject = `${namespace}/${name}`;
  const window = detail.data?.window ?? view.window;
  const notFound = detail.data === undefined && detail.error instanceof ApiRequestError && detail.error.status === 404;
  const authority = detail.data?.service.authority ?? `${name}.${namespace}.svc.cluster.local`;
  // The busiest backend: the one whose live requests say most about the service.
  const backend = detail.data ? [...detail.data.backends].sort((a, b) => (b.rps ?? -1) - (a.rps ?? -1))[0] : undefined;

  return (
    <section className={page.page} aria-labelledby="service-title">
      <PageHeader
        title={name}
        titleId="service-title"
        breadcrumb={
          <>
            <Link href={topologyHref(null, query)}>Topology</Link> / <Link href={topologyHref(namespace, query)}>{namespace}</Link> / services
          </>
        }
        subtitle={
          <>
            Service <code>{authority}</code> · as its callers measured it over the last {window} · {refreshText(view)}
          </>
        }
      >
        <div className={page.controls}>
          <Link href={routesHref({ kind: 'service', namespace, name }, query)} data-testid={TestIds.serviceRoutesLink}>
            Routes
          </Link>
          {backend ? (
            <Link href={tapHref(backend.namespace, backend.name, query)}>
              Tap {backend.name}
            </Link>
          ) : null}
          <Link href={topologyHref(namespace, query, `service/${namespace}/${name}`)}>In the topology</Link>
        </div>
      </PageHeader>
      {notFound ? null : <QueryErrorBanner queries={[detail]} />}
      {detail.data ? (
        <GoldenTiles metrics={detail.data.service} window={window} testId={TestIds.serviceHeader} tileTestId={TestIds.serviceStat}>
          <StatTile label="mTLS" testId={TestIds.serviceStat} name="mtlsShare">
            <MetricValue value={detail.data.service.mtlsShare} format={formatPercentTick} />
          </StatTile>
        </GoldenTiles>
      ) : detail.isPending ? (
        <TableSkeleton label="Loading the service…" rows={1} columns={6} />
      ) : notFound ? (
        <div className={`${page.card} ${page.empty}`} data-testid={TestIds.serviceNotFound}>
          <h2>No traffic to {subject}</h2>
          <p>{detail.error?.message}</p>
          <p>
            No meshed workload called <code>{authority}</code> in the last {window}. Check the name, pick a longer window, or
            find the service in the <Link href={topologyHref(namespace, query)}>topology of {namespace}</Link>.
          </p>
        </div>
      ) : null}
      {detail.data && detail.data.service.rps === null ? (
        <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.serviceEmpty}>
          No traffic to this service in the last {window}.
        </p>
      ) : null}
      {detail.data ? <ServiceSections detail={detail.data} namespace={namespace} name={name} query={query} /> : null}
      {detail.data && !detail.isPlaceholderData ? <UpdatedAt at={detail.dataUpdatedAt} fetching={detail.isFetching} /> : null}
    </section>
  );
}

interface SectionsProps {
  detail: ServiceDetailResponse;
  namespace: string;
  name: string;
  query: string;
}

function ServiceSections({ detail, namespace, name, query }: SectionsProps) {
  const subject = `${namespace}/${name}`;
  return (
    <>
      <section className={page.section} aria-labelledby="callers-title">
        <h2 id="callers-title" className={page.sectionTitle}>
          Callers
        </h2>
        <p className={page.sectionNote}>Meshed workloads calling the service, as their proxies measured it.</p>
        <NeighboursTable direction="upstream" rows={detail.upstreams} graph={detail.graph} window={detail.window} query={query} subject={subject} />
      </section>
      <section className={page.section} aria-labelledby="backends-title">
        <h2 id="backends-title" className={page.sectionTitle}>
          Backends
        </h2>
        <p className={page.sectionNote}>The workloads that served it: their share of its requests, then their own inbound numbers.</p>
        <BackendsTable rows={detail.backends} window={detail.window} query={query} subject={subject} />
      </section>
      {detail.split ? (
        <section className={page.section} aria-labelledby="split-title">
          <h2 id="split-title" className={page.sectionTitle}>
            Traffic split
          </h2>
          <p className={page.sectionNote}>
            Per route, the weight configured for each backend beside the share of requests its callers' proxies sent it.
          </p>
          <SplitSection rows={detail.split} namespace={namespace} name={name} window={detail.window} query={query} configured={detail.configured} />
        </section>
      ) : null}
      {detail.endpoints ? (
        <section className={page.section} aria-labelledby="endpoints-title">
          <h2 id="endpoints-title" className={page.sectionTitle}>
            Endpoints
          </h2>
          <p className={page.sectionNote}>Each backend's endpoints as the callers' load balancers hold them, and what the breakers tripped.</p>
          <EndpointsTable
            rows={detail.endpoints}
            namespace={namespace}
            window={detail.window}
            failureAccrual={detail.failureAccrual}
            configured={detail.configured}
          />
        </section>
      ) : null}
      <section className={page.section} aria-labelledby="graph-title">
        <h2 id="graph-title" className={page.sectionTitle}>
          Neighbourhood
        </h2>
        <p className={page.sectionNote}>Colours show health; click a workload to open it.</p>
        <NeighbourGraph graph={detail.graph} kind="service" namespace={namespace} name={name} query={query} />
      </section>
    </>
  );
}
