'use client';

import { useEffect, useState } from 'react';
import { TestIds } from '../../testids';
import styles from './live-stream.module.css';
import type { Reconnected, Reconnecting } from './reconnect';

const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/** Now, every second while `on` (for a countdown). */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [on]);
  return now;
}

/** The attempt under way, or the wait before it, in words. */
export function attemptText(r: Reconnecting, now: number): string {
  if (r.trying) return `attempt ${r.attempt} under way…`;
  const seconds = Math.max(0, Math.ceil((r.nextAt - now) / 1000));
  return `attempt ${r.attempt} in ${seconds} s (waits ${r.delayMs / 1000} s, doubling up to 10 s)`;
}

interface Props {
  reconnecting: Reconnecting | null;
  reconnected: Reconnected | null;
  /** What the page keeps meanwhile ("the 120 requests captured"), or null when it holds nothing. */
  kept: string | null;
}

/** A stream that broke and is being opened again by itself; then that it was, and what may be missing. */
export function ReconnectNotice({ reconnecting, reconnected, kept }: Props) {
  const now = useNow(reconnecting !== null);
  if (reconnecting) {
    return (
      <div className={styles.reconnecting} data-testid={TestIds.streamReconnect} data-state="reconnecting">
        <p className={styles.reconnectTitle}>
          The stream broke off at {clock(reconnecting.brokeAt)}: reconnecting… {attemptText(reconnecting, now)}
        </p>
        <p className={styles.reconnectDetail}>
          {reconnecting.cause} {reconnecting.code ? <code>{reconnecting.code}</code> : null} It opens again by itself when the API
          answers{kept ? `; ${kept} stay below` : ''}. Stop ends it.
        </p>
      </div>
    );
  }
  if (reconnected) {
    return (
      <p className={styles.reconnected} role="status" data-testid={TestIds.streamReconnect} data-state="reconnected">
        Reconnected at {clock(reconnected.at)} after {reconnected.attempts} {reconnected.attempts === 1 ? 'attempt' : 'attempts'}.
        Requests between {clock(reconnected.brokeAt)} and {clock(reconnected.at)} were not captured and may be missing.
      </p>
    );
  }
  return null;
}
