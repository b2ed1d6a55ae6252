'use client';

import type { AuthzResponse } from '@meshviz/mesh-types';
import { useQuery } from '@tanstack/react-query';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import page from '../../components/layout/page.module.css';
import { TableSkeleton } from '../../components/skeleton/table-skeleton';
import { formatRpsWithUnit } from '../../lib/format';
import type { ViewParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import styles from './authz.module.css';
import { totalDeniedRps } from './authz-labels';
import { AuthzTable } from './authz-table';
import { DenialsTable } from './denials-table';
import { authzQuery } from './queries';

interface Props {
  namespace: string;
  name: string;
  view: ViewParams;
}

/** The workload page's Authorization section: what its proxies let in and refused, polled like the page. */
export function AuthorizationSection({ namespace, name, view }: Props) {
  const authz = useQuery(authzQuery(namespace, name, view));
  return (
    <AuthorizationView
      subject={`${namespace}/${name}`}
      window={view.window}
      customRange={view.time.kind === 'absolute'}
      state={{
        data: authz.data,
        error: authz.error,
        pending: authz.isPending,
        stale: authz.isPlaceholderData,
        updatedAt: authz.dataUpdatedAt,
      }}
    />
  );
}

export interface AuthzState {
  data: AuthzResponse | undefined;
  error: (Error & { code?: string }) | null;
  /** No answer yet, and no failure either. */
  pending: boolean;
  /** The data shown is an earlier window's while the new one loads. */
  stale: boolean;
  updatedAt: number;
}

interface ViewProps {
  subject: string;
  window: string;
  /** The page shows a custom from/to range: this section still shows the window ending now. */
  customRange: boolean;
  state: AuthzState;
}

/** The section for one state of its query: loading, failed (with or without earlier data), empty, or the tables. */
export function AuthorizationView({ subject, window: asked, customRange, state }: ViewProps) {
  const { data, error } = state;
  const window = data?.window ?? asked;
  const denied = data ? totalDeniedRps(data.rows) : 0;
  return (
    <section className={page.section} aria-labelledby="authz-title" data-testid={TestIds.authzSection}>
      <h2 id="authz-title" className={page.sectionTitle}>
        Authorization
      </h2>
      <p className={page.sectionNote}>
        What the proxies of {subject} decided about inbound requests over the last {window}: per server and route, the
        authorization that let requests in, and the requests no authorization allowed.
        {customRange ? ' These numbers are for the window ending now; they do not follow the custom range.' : ''}
      </p>
      {error ? (
        <div data-testid={TestIds.authzError}>
          <ApiErrorBanner
            error={error}
            lastGoodAt={data ? state.updatedAt : undefined}
            title={`The authorization numbers of ${subject} could not be loaded (GET /api/v1/authz failed).`}
          />
        </div>
      ) : null}
      {data === undefined ? (
        state.pending && !error ? <TableSkeleton label="Loading authorization…" rows={2} columns={9} /> : null
      ) : data.rows.length === 0 && data.denials.length === 0 ? (
        <AuthzEmpty subject={subject} window={window} />
      ) : (
        <>
          {denied > 0 ? (
            <p className={`${styles.summary} ${styles.summaryRefused}`}>Refused by policy: {formatRpsWithUnit(denied)}.</p>
          ) : null}
          <AuthzTable rows={data.rows} window={window} subject={subject} stale={state.stale} />
          <h3 className={page.sectionTitle}>Denied by client identity</h3>
          <DenialsTable denials={data.denials} window={window} subject={subject} stale={state.stale} />
        </>
      )}
    </section>
  );
}

/** No decision counted in the window: not the same as the API failing (that shows its error above). */
function AuthzEmpty({ subject, window }: { subject: string; window: string }) {
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.authzEmpty}>
      <h3>No policy traffic to {subject} in the last {window}</h3>
      <p>
        Each proxy counts every inbound request against the authorization that let it in or the policy that refused it
        (<code>inbound_http_authz_allow_total</code>, <code>inbound_http_authz_deny_total</code>). None were counted in this
        window:
      </p>
      <ul>
        <li>the workload received no inbound requests in the window, or</li>
        <li>its proxies do not report authorization metrics (a proxy without policy support).</li>
      </ul>
      <p>Try a longer window in the header.</p>
    </div>
  );
}
