'use client';

import type { RolloutsResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { rolloutsQuery } from './queries';
import { RolloutCard } from './rollout-card';
import styles from './rollouts.module.css';

/** /rollouts: every progressive delivery `meshviz rollout` recorded, running ones first by their last decision. */
export function RolloutsPage() {
  const { view } = useViewParams();
  const rollouts = useQuery(rolloutsQuery(view));
  return (
    <section className={page.page} aria-labelledby="rollouts-title">
      <PageHeader
        title="Rollouts"
        titleId="rollouts-title"
        subtitle={
          <>
            Canaries moving through their steps with <code>meshviz rollout</code>: the share each one has now, and every
            decision with the figures it was made on.
          </>
        }
      />
      <QueryErrorBanner queries={[rollouts]} />
      {rollouts.data ? (
        <RolloutsBody data={rollouts.data} />
      ) : rollouts.isPending ? (
        <TableSkeleton label="Reading rollouts…" rows={3} columns={4} />
      ) : null}
      {rollouts.data ? <UpdatedAt at={rollouts.dataUpdatedAt} fetching={rollouts.isFetching} /> : null}
    </section>
  );
}

function RolloutsBody({ data }: { data: RolloutsResponse }) {
  return (
    <>
      {data.errors.length > 0 ? (
        <div className={`${page.card} ${styles.errors}`} role="alert" data-testid={TestIds.rolloutsErrors}>
          <p className={styles.errorsTitle}>Some rollout records could not be read:</p>
          <ul>
            {data.errors.map((e) => (
              <li key={e.file}>
                <code>{e.file}</code> {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data.source === null ? (
        <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.rolloutsEmpty}>
          The API was not told where rollouts are recorded (<code>API_ROLLOUTS_DIR</code>, the mesh&apos;s config directory;{' '}
          <code>meshviz up</code> sets it).
        </p>
      ) : data.rollouts.length === 0 ? (
        <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.rolloutsEmpty}>
          No rollout has been recorded. Start one with{' '}
          <code>meshviz rollout start svc/&lt;service&gt; -n &lt;namespace&gt; --route &lt;httproute&gt; --stable &lt;backend&gt; --canary &lt;backend&gt;</code>
          .
        </p>
      ) : (
        data.rollouts.map((r) => <RolloutCard key={`${r.route.namespace}/${r.route.name}`} rollout={r} />)
      )}
    </>
  );
}
