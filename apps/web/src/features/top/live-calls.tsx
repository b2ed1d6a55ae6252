'use client';

import Link from 'next/link';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import page from '../../components/layout/page.module.css';
import { tapHref, topHref } from '../../lib/links';
import { useTapToken } from '../../lib/use-tap-token';
import { TestIds } from '../../testids';
import live from '../live-stream/live-stream.module.css';
import { StreamControls } from '../live-stream/stream-controls';
import { TokenForm } from '../live-stream/token-form';
import { isRunning } from '../live-stream/use-event-stream';
import { DEFAULT_TOP_SORT } from './top-sort';
import { TopTable } from './top-table';
import { useTopStream } from './use-top-stream';

const SHOWN_ROWS = 10;

interface Props {
  namespace: string;
  name: string;
  query: string;
}

/**
 * A small Top of one workload's traffic (both directions). It only runs after Start: every tap costs the proxies
 * work, so nothing streams just because the page is open.
 */
export function LiveCallsSection({ namespace, name, query }: Props) {
  const token = useTapToken();
  const top = useTopStream();
  const { stream, snapshot } = top;
  const running = isRunning(stream.status);
  const subject = `${namespace}/${name}`;

  return (
    <section className={page.section} aria-labelledby="live-calls-title" data-testid={TestIds.liveCalls} data-live-data>
      <h2 id="live-calls-title" className={page.sectionTitle}>
        Live calls
      </h2>
      <p className={page.sectionNote}>
        Requests through {subject}’s proxies as they happen, grouped by source, destination, method and path. For each request with its headers, open{' '}
        <Link href={tapHref(namespace, name, query)} data-testid={TestIds.liveCallsTapLink}>
          Tap of {subject}
        </Link>
        ; for more rows, <Link href={topHref(namespace, name, query)}>Top</Link>.
      </p>
      {token === null ? <TokenForm headingLevel={3} /> : null}
      {stream.error ? <ApiErrorBanner error={stream.error} note="Live calls stopped. Press Start to try again." /> : null}
      <StreamControls
        stream={stream}
        blocked={token === null ? 'Paste the tap token above first.' : null}
        stale={false}
        onStart={() => {
          if (token !== null) top.start({ namespace, workload: name }, token);
        }}
        onStop={top.stop}
        subject={subject}
      />
      {snapshot && snapshot.rows.length > 0 ? (
        <TopTable rows={snapshot.rows} sort={DEFAULT_TOP_SORT} caption={`Live calls of ${subject}, busiest first`} limit={SHOWN_ROWS} />
      ) : running ? (
        <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.topEmpty} role="status">
          Waiting for requests through {subject}…
        </p>
      ) : null}
      {snapshot && snapshot.rows.length > SHOWN_ROWS ? (
        <p className={live.blocked}>
          The {SHOWN_ROWS} busiest of {snapshot.rows.length} rows; <Link href={topHref(namespace, name, query)}>Top</Link> shows them all.
        </p>
      ) : null}
    </section>
  );
}
