'use client';

import Link from 'next/link';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { useViewParams } from '../../lib/use-view-params';
import { hrefWith } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { StreamPageControls } from '../live-stream/stream-controls';
import { ProxyStreamErrors, StreamCounts } from '../live-stream/stream-counts';
import { filterUpdates, setFilters } from '../live-stream/stream-filters';
import { isRunning } from '../live-stream/use-event-stream';
import { useStreamSetup } from '../live-stream/use-stream-setup';
import { nextSort, sortFromParams, sortUpdates } from './top-sort';
import { TopTable } from './top-table';
import { useTopStream } from './use-top-stream';

/** /top?namespace=&…: the tapped requests aggregated by source, destination, method and path, live. */
export function TopPage() {
  const { params, setParams } = useViewParams();
  const top = useTopStream();
  const { stream, snapshot } = top;
  const setup = useStreamSetup(stream.status, top.start);
  const { filters, subject } = setup;
  const running = isRunning(stream.status);
  const sort = sortFromParams(params);
  const tapHref = hrefWith('/tap', params, { ...filterUpdates(setFilters(filters)), sort: null, order: null });

  return (
    <section className={page.page} aria-labelledby="top-title" data-live-data>
      <PageHeader
        title="Top"
        titleId="top-title"
        subtitle={
          <>
            Live requests grouped by source, destination, method and path, since Start · each request on{' '}
            <Link href={tapHref}>Tap</Link>
          </>
        }
      />
      <StreamPageControls
        setup={setup}
        stream={stream}
        onStop={top.stop}
        filtersLabel="Top filters"
        errorNote={snapshot ? 'Top stopped; the last table received stays below.' : 'Top stopped. Check the token and the filters, then press Start again.'}
      />
      {snapshot ? (
        <StreamCounts
          items={[
            { name: 'events', term: 'Requests finished', value: snapshot.events, warn: false },
            { name: 'rows', term: 'Rows', value: snapshot.rows.length, warn: false },
            { name: 'drops', term: 'Events dropped by proxies', value: snapshot.drops, warn: snapshot.drops > 0 },
          ]}
        />
      ) : null}
      <ProxyStreamErrors errors={top.upstreamErrors} />
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
