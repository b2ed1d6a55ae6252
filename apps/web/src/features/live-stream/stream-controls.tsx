'use client';

import { type ReactNode, useId } from 'react';
import { ApiErrorBanner } from '../../components/api-error-banner/api-error-banner';
import { clearTapToken } from '../../lib/tap-token';
import { RowAttrs, TestIds } from '../../testids';
import { FilterForm } from './filter-form';
import styles from './live-stream.module.css';
import { ReconnectNotice } from './reconnect-notice';
import { TokenForm } from './token-form';
import { isRunning, type StreamState } from './use-event-stream';
import type { StreamSetup } from './use-stream-setup';

interface Props {
  stream: StreamState;
  /** Why Start cannot be pressed now (no token, a bad filter), or null. */
  blocked: string | null;
  /** The filters changed since Start: offer a restart with the new ones. */
  stale: boolean;
  onStart: () => void;
  onStop: () => void;
  /** What is being listened to, for the status line ("traffic of bookshop/web"). */
  subject: string;
  children?: ReactNode;
}

function clock(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toLocaleTimeString();
}

/** The words of the status line for each state of the stream. */
export function streamStatusText(stream: StreamState, subject: string): string {
  switch (stream.status) {
    case 'idle':
      return 'Not listening. Nothing streams until you press Start: tapping costs the proxies some work.';
    case 'connecting':
      return `Connecting to ${subject}…`;
    case 'live': {
      const n = stream.proxies.length;
      const back = stream.reconnected ? ` Reconnected at ${clock(stream.reconnected.at)}.` : '';
      return `Listening to ${subject} through ${n} ${n === 1 ? 'proxy' : 'proxies'} since ${clock(stream.startedAt)}.${back}`;
    }
    case 'reconnecting':
      return `Reconnecting to ${subject}… (attempt ${stream.reconnecting?.attempt ?? 1})`;
    case 'stopped':
      return 'Stopped. Start listens again (and starts a new capture).';
    case 'ended':
      return 'The API ended the stream (it may have restarted). Start listens again.';
    case 'failed':
      return 'Stopped by the error above.';
  }
}

/** Start and Stop (and the page's own buttons), with a live status line. */
export function StreamControls({ stream, blocked, stale, onStart, onStop, subject, children }: Props) {
  const blockedId = useId();
  const running = isRunning(stream.status);
  return (
    <div className={styles.controls}>
      <div className={styles.buttons}>
        {running ? (
          <button type="button" className={styles.secondary} onClick={onStop} data-testid={TestIds.streamStop}>
            Stop
          </button>
        ) : null}
        {!running || stale ? (
          <button
            type="button"
            className={styles.primary}
            onClick={onStart}
            disabled={blocked !== null}
            aria-describedby={blocked !== null ? blockedId : undefined}
            data-testid={TestIds.streamStart}
          >
            {running ? 'Restart with the new filters' : 'Start'}
          </button>
        ) : null}
        {children}
      </div>
      {blocked !== null ? (
        <p id={blockedId} className={styles.blocked}>
          {blocked}
        </p>
      ) : null}
      <p className={styles.status} role="status" data-testid={TestIds.streamStatus} {...{ [RowAttrs.streamStatus]: stream.status }}>
        {running && stream.status !== 'reconnecting' ? <span className={styles.liveDot} aria-hidden="true" /> : null}
        {streamStatusText(stream, subject)}
      </p>
    </div>
  );
}

interface PageProps {
  setup: StreamSetup;
  stream: StreamState;
  onStop: () => void;
  /** The filter form's accessible name ("Tap filters"). */
  filtersLabel: string;
  /** What the error banner adds when the stream failed: what stays on the page, what to do. */
  errorNote: string;
  /** What the page keeps while a broken stream reconnects ("the 120 requests captured"), or null. */
  kept?: string | null;
  /** The page's own buttons, between Start/Stop and Forget token. */
  children?: ReactNode;
}

/** The top of Tap and Top: the token form (until there is a token), the stream's error, the filters, then the controls. */
export function StreamPageControls({ setup, stream, onStop, filtersLabel, errorNote, kept = null, children }: PageProps) {
  return (
    <>
      {setup.token === null ? <TokenForm /> : null}
      {stream.error ? <ApiErrorBanner error={stream.error} note={errorNote} /> : null}
      <ReconnectNotice reconnecting={stream.reconnecting} reconnected={stream.reconnected} kept={kept} />
      <FilterForm filters={setup.filters} problems={setup.problems} label={filtersLabel} />
      <StreamControls stream={stream} blocked={setup.blocked} stale={setup.stale} onStart={setup.start} onStop={onStop} subject={setup.subject}>
        {children}
        {setup.token !== null ? (
          <button type="button" className={styles.quiet} onClick={clearTapToken} data-testid={TestIds.tapTokenForget}>
            Forget token
          </button>
        ) : null}
      </StreamControls>
    </>
  );
}
