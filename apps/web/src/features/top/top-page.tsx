'use client';

import Link from 'next/link';
import { useState } from 'react';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import page from '../../components/layout/page.module.css';
import { UpdatedAt } from '../../components/layout/updated-at';
import { formatCount } from '../../lib/format';
import { clearTapToken } from '../../lib/tap-token';
import { useViewParams } from '../../lib/use-view-params';
import { hrefWith } from '../../lib/view-params';
import { RowAttrs, TestIds } from '../../testids';
import { FilterForm } from '../tap/filter-form';
import { StreamControls } from '../tap/stream-controls';
import { describeFilters, filtersKey, filterUpdates, setFilters, streamPath, type TapFilters } from '../tap/tap-filters';
import tapStyles from '../tap/tap.module.css';
import { TokenForm } from '../tap/token-form';
import { isRunning } from '../tap/use-event-stream';
import { useStreamSetup } from '../tap/use-stream-setup';
import { nextSort, sortFromParams, sortUpdates } from './top-sort';
import { TopTable } from './top-table';
import { useTopStream } from './use-top-stream';

/** /top?namespace=&…: the tapped requests aggregated by source, destination, method and path, live. */
export function TopPage() {
  const { params, setParams } = useViewParams();
  const { filters, problems, token, blocked } = useStreamSetup();
  const top = useTopStream();
  const { stream, snapshot } = top;
  const [startedWith, setStartedWith] = useState<TapFilters | null>(null);
  const running = isRunning(stream.status);
  const subject = describeFilters(startedWith ?? filters);
  const sort = sortFromParams(params);
  const tapHref = hrefWith('/tap', params, { ...filterUpdates(setFilters(filters)), sort: null, order: null });

  function start() {
    if (token === null || blocked !== null) return;
    setStartedWith(filters);
    top.start(streamPath('top', filters), token);
  }

  return (
    <section className={page.page} aria-labelledby="top-title">
      <div className={page.toolbar}>
        <div>
          <h1 id="top-title" className={page.title}>
            Top
          </h1>
          <p className={page.subtitle}>
            Live requests grouped by source, destination, method and path, since Start · each request on{' '}
            <Link href={tapHref}>Tap</Link>
          </p>
        </div>
      </div>
      {token === null ? <TokenForm /> : null}
      {stream.error ? (
        <ApiErrorBanner
          error={stream.error}
          note={snapshot ? 'Top stopped; the last table received stays below.' : 'Top stopped. Check the token and the filters, then press Start again.'}
        />
      ) : null}
      <FilterForm filters={filters} problems={problems} label="Top filters" />
      <StreamControls
        stream={stream}
        blocked={blocked}
        stale={running && startedWith !== null && filtersKey(startedWith) !== filtersKey(filters)}
        onStart={start}
        onStop={top.stop}
        subject={subject}
      >
        {token !== null ? (
          <button type="button" className={tapStyles.quiet} onClick={clearTapToken} data-testid={TestIds.tapTokenForget}>
            Forget token
          </button>
        ) : null}
      </StreamControls>
      {snapshot ? (
        <dl className={tapStyles.counts}>
          <div data-testid={TestIds.tapCount} {...{ [RowAttrs.count]: 'events', [RowAttrs.value]: snapshot.events }}>
            <dt>Requests finished</dt>
            <dd>{formatCount(snapshot.events)}</dd>
          </div>
          <div data-testid={TestIds.tapCount} {...{ [RowAttrs.count]: 'rows', [RowAttrs.value]: snapshot.rows.length }}>
            <dt>Rows</dt>
            <dd>{formatCount(snapshot.rows.length)}</dd>
          </div>
          <div
            className={snapshot.drops > 0 ? tapStyles.countWarn : undefined}
            data-testid={TestIds.tapCount}
            {...{ [RowAttrs.count]: 'drops', [RowAttrs.value]: snapshot.drops }}
          >
            <dt>Events dropped by proxies</dt>
            <dd>{formatCount(snapshot.drops)}</dd>
          </div>
        </dl>
      ) : null}
      {top.upstreamErrors.length > 0 ? (
        <ul className={tapStyles.warnings} aria-label="Proxy streams that failed">
          {top.upstreamErrors.map((e) => (
            <li key={`${e.at}-${e.pod}`}>
              The stream from {e.pod} failed at {new Date(e.at).toLocaleTimeString()}: {e.message}. The other proxies go on.
            </li>
          ))}
        </ul>
      ) : null}
      {snapshot && snapshot.rows.length > 0 ? (
        <TopTable
          rows={snapshot.rows}
          sort={sort}
          onSort={(key) => setParams(sortUpdates(nextSort(sort, key)), { replace: true })}
          caption={`Requests matching ${subject}, grouped by source, destination, method and path`}
        />
      ) : (
        <TopEmpty running={running} subject={subject} status={stream.status} />
      )}
      {snapshot && top.snapshotAt !== null ? <UpdatedAt at={top.snapshotAt} fetching={false} /> : null}
    </section>
  );
}

function TopEmpty({ running, subject, status }: { running: boolean; subject: string; status: string }) {
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.topEmpty} role={running ? 'status' : undefined}>
      {running ? (
        <>
          <h2>Waiting for requests matching {subject}…</h2>
          <p>The table fills in as requests finish; it updates every second.</p>
        </>
      ) : status === 'failed' ? (
        <>
          <h2>No requests counted</h2>
          <p>Top stopped with the error above before any request finished.</p>
        </>
      ) : status !== 'idle' ? (
        <>
          <h2>No requests counted</h2>
          <p>Nothing matching {subject} finished while Top ran.</p>
        </>
      ) : (
        <>
          <h2>Top is not running</h2>
          <p>Choose what to listen to, then press Start. Rows group requests by source, destination, method and path.</p>
        </>
      )}
    </div>
  );
}
