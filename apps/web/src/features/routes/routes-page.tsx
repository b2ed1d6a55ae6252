'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { formatRouteName } from '../../lib/format';
import { subjectHref, workloadsHref } from '../../lib/links';
import { refreshText } from '../../lib/refresh-text';
import { useViewParams } from '../../lib/use-view-params';
import { parseRoutesParams, type RoutesSubject, subjectParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { GoldenCharts } from '../timeseries/golden-charts';
import { routesQuery } from './queries';
import { chosenRoute } from './route-order';
import { RoutesEmpty } from './routes-empty';
import { RoutesTable } from './routes-table';
import { SubjectPicker } from './subject-picker';

/** Stands in for the query's subject while none is chosen (the query is disabled then). */
const NO_SUBJECT: RoutesSubject = { kind: 'workload', namespace: '', name: '' };

/**
 * /routes?namespace=&workload=&route=: a workload's inbound routes in a table, and the chosen route's charts.
 * /routes?namespace=&service=: a service's routes as its callers saw them (route charts are kept per workload only).
 */
export function RoutesPage() {
  const { view, params, setParams } = useViewParams();
  const asked = parseRoutesParams(params);
  const subject = asked.kind === 'chosen' ? asked.subject : null;
  const routes = useQuery({ ...routesQuery(subject ?? NO_SUBJECT, view), enabled: subject !== null });
  // Kept while the next subject loads, unless it was a workload's and the next is a service's (or back): the
  // columns differ.
  const sameKind = routes.data !== undefined && (routes.data.service !== undefined) === (subject?.kind === 'service');
  const rows = sameKind ? routes.data?.rows : undefined;
  const window = routes.data?.window ?? view.window;
  const selected = rows && subject?.kind === 'workload' ? chosenRoute(rows, params.get('route')) : null;
  const query = params.toString();

  return (
    <section className={page.page} aria-labelledby="routes-title">
      <PageHeader
        title={subject ? `Routes of ${subject.kind} ${subject.namespace}/${subject.name}` : 'Routes'}
        titleId="routes-title"
        subtitle={
          subject ? (
            <>
              <SubjectLine subject={subject} query={query} /> · over the last {window} · {refreshText(view)}
            </>
          ) : (
            'Per-route golden metrics of a workload’s inbound traffic, or of a service as its callers saw it'
          )
        }
      >
        <SubjectPicker subject={subject} view={view} onChange={(next) => setParams({ ...subjectParams(next), route: null })} />
      </PageHeader>
      {asked.kind === 'invalid' ? (
        <div className={`${page.card} ${page.empty}`} data-testid={TestIds.routesInvalid} data-param={asked.param}>
          <h2>These routes cannot be shown</h2>
          <p>{asked.message}</p>
          <p>
            Pick a workload or service above, or open one from the <Link href={workloadsHref(null, query)}>Workloads</Link>{' '}
            page.
          </p>
        </div>
      ) : subject === null ? (
        <div className={`${page.card} ${page.empty}`}>
          <h2>Choose a workload or service</h2>
          <p>Pick one above to see its routes, or open one from the Workloads page or a service’s page.</p>
        </div>
      ) : (
        <>
          <QueryErrorBanner queries={[routes]} />
          {rows === undefined ? (
            routes.isPending || routes.isPlaceholderData ? <TableSkeleton label="Loading routes…" columns={8} rows={3} /> : null
          ) : rows.length === 0 ? (
            <RoutesEmpty subject={subject} window={window} query={query} />
          ) : (
            <RoutesTable
              subject={subject}
              rows={rows}
              window={window}
              query={query}
              selected={selected}
              stale={routes.isPlaceholderData}
              configured={routes.data?.configured}
            />
          )}
          {routes.data && !routes.isPlaceholderData ? <UpdatedAt at={routes.dataUpdatedAt} fetching={routes.isFetching} /> : null}
          {subject.kind === 'service' && rows !== undefined && rows.length > 0 ? (
            <p className={page.sectionNote}>
              Charts over time are kept per workload: the workloads behind this service are on its{' '}
              <Link href={subjectHref(subject, query)}>service page</Link>, each with a link to its
              routes and their charts.
            </p>
          ) : null}
          {subject.kind === 'workload' && selected !== null ? (
            <section className={page.section} aria-labelledby="route-charts-title">
              <h2 id="route-charts-title" className={page.sectionTitle}>
                {formatRouteName(selected)} <span className={page.muted}>· effective numbers</span>
              </h2>
              <GoldenCharts
                key={selected}
                target={{ kind: 'route', namespace: subject.namespace, name: subject.name, route: selected }}
                view={view}
                syncId="route"
                subject={`route ${formatRouteName(selected)} of ${subject.namespace}/${subject.name}`}
                testId={TestIds.routeCharts}
              />
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}

/** What the numbers are and whose page to open for more: the workload's, or the service's. */
function SubjectLine({ subject, query }: { subject: RoutesSubject; query: string }) {
  const link = <Link href={subjectHref(subject, query)}>{`${subject.namespace}/${subject.name}`}</Link>;
  if (subject.kind === 'workload') return <>Inbound routes of {link}, as its own proxies answered them</>;
  return <>Service {link} as its callers saw it, retries included in the actual numbers, beside each route's configured timeout and retries</>;
}
