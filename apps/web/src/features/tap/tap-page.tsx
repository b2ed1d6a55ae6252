'use client';

import Link from 'next/link';
import { useState } from 'react';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { formatCount } from '../../lib/format';
import { useViewParams } from '../../lib/use-view-params';
import { hrefWith } from '../../lib/view-params';
import { TestIds } from '../../testids';
import live from '../live-stream/live-stream.module.css';
import { StreamPageControls } from '../live-stream/stream-controls';
import { ProxyStreamErrors } from '../live-stream/stream-counts';
import { filterUpdates, setFilters } from '../live-stream/stream-filters';
import { isRunning } from '../live-stream/use-event-stream';
import { useStreamSetup } from '../live-stream/use-stream-setup';
import type { TapRequest } from './request-log';
import { RequestPanel } from './request-panel';
import styles from './tap.module.css';
import { TapCounts } from './tap-counts';
import { downloadText, tapExport } from './tap-export';
import { TapTable } from './tap-table';
import { useTapCapture } from './use-tap-capture';

/** /tap?namespace=&workload=&…: live requests through the proxies, one row per request, with every part on demand. */
export function TapPage() {
  const { params } = useViewParams();
  const capture = useTapCapture();
  const { stream } = capture;
  const [selected, setSelected] = useState<TapRequest | null>(null);
  const setup = useStreamSetup(stream.status, (query, token) => {
    setSelected(null);
    capture.start(query, token);
  });
  const { filters, subject } = setup;
  const running = isRunning(stream.status);

  const shownSelected = selected ? (capture.log.get(selected.id) ?? selected) : null;
  const topHref = hrefWith('/top', params, filterUpdates(setFilters(filters)));

  return (
    <section className={page.page} aria-labelledby="tap-title" data-live-data>
      <PageHeader
        title="Tap"
        titleId="tap-title"
        subtitle={
          <>
            Live requests through the proxies, as they happen · counted by source, destination and path on <Link href={topHref}>Top</Link>
          </>
        }
      />
      <StreamPageControls
        setup={setup}
        stream={stream}
        onStop={capture.stop}
        filtersLabel="Tap filters"
        kept={capture.log.size > 0 ? `the ${formatCount(capture.log.size)} requests captured` : null}
        errorNote={
          capture.log.size > 0
            ? `The tap stopped; the ${formatCount(capture.log.size)} requests captured before stay below.`
            : 'The tap stopped. Check the token and the filters, then press Start again.'
        }
      >
        {running ? (
          <button
            type="button"
            className={live.secondary}
            onClick={capture.paused ? capture.resume : capture.pause}
            aria-pressed={capture.paused}
            data-testid={TestIds.tapPause}
          >
            {capture.paused ? 'Resume' : 'Pause'}
          </button>
        ) : null}
        <button
          type="button"
          className={live.secondary}
          disabled={capture.log.size === 0}
          onClick={() => {
            const out = tapExport(capture.log.events(), setup.current, capture.log.evicted, new Date());
            downloadText(out.fileName, out.json);
          }}
          data-testid={TestIds.tapExport}
        >
          Export JSON
        </button>
      </StreamPageControls>
      <TapCounts seen={capture.log.total} shown={capture.rows.size} drops={capture.drops} upstreamErrors={capture.upstreamErrors} />
      <TapNotes capture={capture} />
      <div className={styles.layout}>
        <div className={`${page.card} ${styles.tableArea}`}>
          {capture.rows.size === 0 ? (
            <TapEmpty running={running} status={stream.status} subject={subject} />
          ) : (
            <TapTable
              rows={capture.rows}
              added={capture.added}
              selectedId={shownSelected?.id ?? null}
              onOpen={setSelected}
              label={`Tapped requests, newest first${capture.paused ? ' (paused)' : ''}`}
            />
          )}
        </div>
        {shownSelected ? <RequestPanel key={shownSelected.id} request={shownSelected} onClose={() => setSelected(null)} /> : null}
      </div>
    </section>
  );
}

function TapNotes({ capture }: { capture: ReturnType<typeof useTapCapture> }) {
  return (
    <>
      {capture.paused ? (
        <p className={live.note} role="status">
          Paused: the table stands still while the tap goes on. {formatCount(capture.arrivedWhilePaused)}{' '}
          {capture.arrivedWhilePaused === 1 ? 'request has' : 'requests have'} arrived since; Resume shows them.
        </p>
      ) : null}
      {capture.log.evicted > 0 ? (
        <p className={live.note} data-testid={TestIds.tapEvicted}>
          Showing the newest {formatCount(capture.log.capacity)} requests: {formatCount(capture.log.evicted)} older{' '}
          {capture.log.evicted === 1 ? 'one has' : 'ones have'} left this page to keep it fast. Export JSON saves the ones shown.
        </p>
      ) : null}
      <ProxyStreamErrors errors={capture.lastUpstreamErrors} />
    </>
  );
}

function TapEmpty({ running, status, subject }: { running: boolean; status: string; subject: string }) {
  return (
    <div className={page.empty} data-testid={TestIds.tapEmpty} role={running ? 'status' : undefined}>
      {running ? (
        <>
          <h2>Waiting for requests matching {subject}…</h2>
          <p>Rows appear as soon as a proxy sees one. Send some traffic, or widen the filters.</p>
        </>
      ) : status === 'failed' ? (
        <>
          <h2>No requests captured</h2>
          <p>The tap stopped with the error above before any request arrived.</p>
        </>
      ) : status === 'idle' ? (
        <>
          <h2>No tap running</h2>
          <p>Choose what to listen to, then press Start. Each request shows as one row; open it to see its headers.</p>
        </>
      ) : (
        <>
          <h2>No requests captured</h2>
          <p>Nothing matching {subject} passed while the tap ran.</p>
        </>
      )}
    </div>
  );
}
