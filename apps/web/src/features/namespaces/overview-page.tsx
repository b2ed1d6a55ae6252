'use client';

import { useQuery } from '@tanstack/react-query';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { sortRows } from '../../lib/namespaces';
import { refreshText } from '../../lib/refresh-text';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { namespaceStatsQuery } from '../stats/queries';
import { NamespacesTable } from './namespaces-table';
import { OverviewSummary } from './overview-summary';
import { meshTotals } from './totals';

/** /: the mesh by namespace — meshed pods and golden metrics — with a way into each namespace. */
export function OverviewPage() {
  const { view, params } = useViewParams();
  const stats = useQuery(namespaceStatsQuery(view));
  const rows = stats.data ? sortRows(stats.data.rows) : undefined;
  const window = stats.data?.window ?? view.window;

  return (
    <section className={page.page} aria-labelledby="overview-title">
      <PageHeader
        title="Overview"
        titleId="overview-title"
        subtitle={
          <>
            Namespaces · golden metrics over the last {window} · {refreshText(view)}
          </>
        }
      />
      <QueryErrorBanner queries={[stats]} />
      {rows === undefined ? (
        stats.isPending ? (
          <TableSkeleton label="Loading namespaces…" columns={8} />
        ) : (
          <p className={`${page.card} ${page.empty} ${page.muted}`}>No data yet. The overview appears as soon as the API answers.</p>
        )
      ) : rows.length === 0 ? (
        <NamespacesEmpty />
      ) : (
        <>
          <OverviewSummary totals={meshTotals(rows)} window={window} />
          <NamespacesTable rows={rows} window={window} stale={stats.isPlaceholderData} query={params.toString()} />
        </>
      )}
      {stats.data && !stats.isPlaceholderData ? <UpdatedAt at={stats.dataUpdatedAt} fetching={stats.isFetching} /> : null}
    </section>
  );
}

function NamespacesEmpty() {
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.namespacesEmpty}>
      <h2>No meshed namespaces yet</h2>
      <p>A namespace appears here once Prometheus scrapes a meshviz proxy in it.</p>
      <ul>
        <li>
          Trying it out? Start the demo mesh with <code>npm run demo</code> (<code>meshviz up --demo</code>).
        </li>
        <li>Just started? The first numbers appear within about 15 seconds.</li>
        <li>Still nothing? The Check page tells whether Prometheus is reachable and the proxies are scraped.</li>
      </ul>
    </div>
  );
}
