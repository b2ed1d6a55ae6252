'use client';

import type { WorkloadDetailResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import page from '../../components/layout/page.module.css';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import type { ViewParams } from '../../lib/view-params';
import { routesQuery } from '../routes/queries';
import { RoutesEmpty } from '../routes/routes-empty';
import { RoutesTable } from '../routes/routes-table';
import { NeighbourGraph } from '../topology/neighbour-graph';
import { NeighboursTable } from './neighbours-table';
import { PodsTable } from './pods-table';

interface Props {
  namespace: string;
  name: string;
  query: string;
}

/** Callers and callees: the small graph, then a table each way with security and identities. */
export function NeighboursSection({ detail, namespace, name, query }: Props & { detail: WorkloadDetailResponse }) {
  const subject = `${namespace}/${name}`;
  const common = { graph: detail.graph, window: detail.window, query, subject };
  return (
    <section className={page.section} aria-labelledby="neighbours-title">
      <h2 id="neighbours-title" className={page.sectionTitle}>
        Neighbours
      </h2>
      <p className={page.sectionNote}>Colours show health; click a neighbour to open it.</p>
      <NeighbourGraph graph={detail.graph} namespace={namespace} name={name} query={query} />
      <h3 className={page.sectionTitle}>Called by</h3>
      <NeighboursTable direction="upstream" rows={detail.upstreams} {...common} />
      <h3 className={page.sectionTitle}>Calls</h3>
      <NeighboursTable direction="downstream" rows={detail.downstreams} {...common} />
    </section>
  );
}

/** The workload's inbound routes, each linking to its charts. */
export function RoutesSection({ namespace, name, query, view }: Props & { view: ViewParams }) {
  const subject = { kind: 'workload', namespace, name } as const;
  const routes = useQuery(routesQuery(subject, view));
  const window = routes.data?.window ?? view.window;
  return (
    <section className={page.section} aria-labelledby="routes-title">
      <h2 id="routes-title" className={page.sectionTitle}>
        Routes
      </h2>
      {routes.error ? <ApiErrorBanner error={routes.error} lastGoodAt={routes.data ? routes.dataUpdatedAt : undefined} /> : null}
      {routes.data === undefined ? (
        routes.isPending ? <TableSkeleton label="Loading routes…" rows={2} /> : null
      ) : routes.data.rows.length === 0 ? (
        <RoutesEmpty subject={subject} window={window} query={query} linkDetail={false} />
      ) : (
        <RoutesTable subject={subject} rows={routes.data.rows} window={window} query={query} stale={routes.isPlaceholderData} />
      )}
    </section>
  );
}

export function PodsSection({ detail, namespace, name }: Omit<Props, 'query'> & { detail: WorkloadDetailResponse }) {
  return (
    <section className={page.section} aria-labelledby="pods-title">
      <h2 id="pods-title" className={page.sectionTitle}>
        Pods
      </h2>
      <PodsTable rows={detail.pods} certificates={detail.certificates} window={detail.window} subject={`${namespace}/${name}`} />
    </section>
  );
}
