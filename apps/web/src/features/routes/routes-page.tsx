'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { UpdatedAt } from '../../components/layout/updated-at';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { formatRouteName } from '../../lib/format';
import { workloadHref } from '../../lib/links';
import { refreshText } from '../../lib/refresh-text';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { GoldenCharts } from '../timeseries/golden-charts';
import { routesQuery } from './queries';
import { chosenRoute } from './route-order';
import { RoutesEmpty } from './routes-empty';
import { RoutesTable } from './routes-table';
import { WorkloadPicker } from './workload-picker';

/** /routes?namespace=&workload=&route=: a workload's routes in a table, and the chosen route's charts. */
export function RoutesPage() {
  const { view, params, setParams } = useViewParams();
  const namespace = params.get('namespace') ?? '';
  const workload = params.get('workload') ?? '';
  const chosen = namespace !== '' && workload !== '';
  const routes = useQuery({ ...routesQuery(namespace, workload, view), enabled: chosen });
  const rows = routes.data?.rows;
  const window = routes.data?.window ?? view.window;
  const selected = rows ? chosenRoute(rows, params.get('route')) : null;
  const query = params.toString();

  return (
    <section className={page.page} aria-labelledby="routes-title">
      <div className={page.toolbar}>
        <div>
          <h1 id="routes-title" className={page.title}>
            Routes
          </h1>
          <p className={page.subtitle}>
            {chosen ? (
              <>
                Inbound routes of <Link href={workloadHref(namespace, workload, query)}>{`${namespace}/${workload}`}</Link> · over the
                last {window} · {refreshText(view)}
              </>
            ) : (
              'Per-route golden metrics of a workload’s inbound traffic'
            )}
          </p>
        </div>
        <WorkloadPicker namespace={namespace} workload={workload} view={view} onChange={(ns, name) => setParams({ namespace: ns, workload: name, route: null })} />
      </div>
      {!chosen ? (
        <div className={`${page.card} ${page.empty}`}>
          <h2>Choose a workload</h2>
          <p>Pick a workload above to see its routes, or open one from the Workloads page.</p>
        </div>
      ) : (
        <>
          <QueryErrorBanner queries={[routes]} />
          {rows === undefined ? (
            routes.isPending ? <TableSkeleton label="Loading routes…" columns={8} rows={3} /> : null
          ) : rows.length === 0 ? (
            <RoutesEmpty namespace={namespace} workload={workload} window={window} query={query} />
          ) : (
            <RoutesTable namespace={namespace} workload={workload} rows={rows} window={window} query={query} selected={selected} stale={routes.isPlaceholderData} />
          )}
          {routes.data && !routes.isPlaceholderData ? <UpdatedAt at={routes.dataUpdatedAt} fetching={routes.isFetching} /> : null}
          {selected !== null ? (
            <section className={page.section} aria-labelledby="route-charts-title">
              <h2 id="route-charts-title" className={page.sectionTitle}>
                {formatRouteName(selected)} <span className={page.muted}>· effective numbers</span>
              </h2>
              <GoldenCharts
                key={selected}
                target={{ kind: 'route', namespace, name: workload, route: selected }}
                view={view}
                syncId="route"
                subject={`route ${formatRouteName(selected)} of ${namespace}/${workload}`}
                testId={TestIds.routeCharts}
              />
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}
