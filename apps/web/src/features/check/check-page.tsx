'use client';

import type { CheckResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { formatAgeSeconds } from '../../lib/format';
import { useViewParams } from '../../lib/use-view-params';
import { RowAttrs, TestIds } from '../../testids';
import styles from './check.module.css';
import { ChecksList } from './checks-list';
import { checkQuery } from './queries';
import { StatusIcon } from './status-icon';
import { TargetsTable } from './targets-table';

const SUMMARY = {
  ok: 'Everything checks out: Prometheus scrapes the proxies and the numbers are fresh.',
  warn: 'Mostly working, with warnings below.',
  fail: 'Something is broken: the failed checks below say what and what to do.',
} as const;

/** /check: the metrics pipeline, check by check (what `meshviz check` prints), and every scrape target. */
export function CheckPage() {
  const { view } = useViewParams();
  const check = useQuery(checkQuery(view));
  return (
    <section className={page.page} aria-labelledby="check-title">
      <PageHeader
        title="Check"
        titleId="check-title"
        subtitle={
          <>
            Is the metrics pipeline healthy? The same checks as <code>meshviz check</code>.
          </>
        }
      />
      <QueryErrorBanner queries={[check]} />
      {check.data ? <CheckBody data={check.data} /> : check.isPending ? <TableSkeleton label="Running checks…" rows={4} columns={3} /> : null}
      {check.data ? <UpdatedAt at={check.dataUpdatedAt} fetching={check.isFetching} /> : null}
    </section>
  );
}

function CheckBody({ data }: { data: CheckResponse }) {
  const prom = data.prometheus;
  return (
    <>
      <div className={`${page.card} ${styles.overall}`} data-testid={TestIds.checkOverall} {...{ [RowAttrs.status]: data.status }}>
        <StatusIcon status={data.status} />
        <div>
          <p className={styles.description}>{SUMMARY[data.status]}</p>
          <p className={styles.detail}>
            Prometheus {prom.reachable ? `reachable${prom.version ? ` (${prom.version})` : ''}` : 'not reachable'}
            {prom.scrapeIntervalSeconds !== null ? ` · scrapes every ${prom.scrapeIntervalSeconds} s` : ''} · {data.proxiesReporting}{' '}
            {data.proxiesReporting === 1 ? 'proxy' : 'proxies'} reporting
            {data.lastScrapeAgeSeconds !== null ? ` · oldest scrape ${formatAgeSeconds(data.lastScrapeAgeSeconds)} ago` : ''}
          </p>
        </div>
      </div>
      <section className={page.section} aria-labelledby="checks-title">
        <h2 id="checks-title" className={page.sectionTitle}>
          Checks
        </h2>
        <ChecksList checks={data.checks} />
      </section>
      <section className={page.section} aria-labelledby="targets-title">
        <h2 id="targets-title" className={page.sectionTitle}>
          Scrape targets
        </h2>
        <TargetsTable targets={data.targets} />
      </section>
    </>
  );
}
