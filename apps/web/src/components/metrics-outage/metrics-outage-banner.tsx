'use client';

import { TestIds } from '../../testids';
import banner from '../api-error-banner/api-error-banner.module.css';
import styles from './metrics-outage.module.css';
import { OUTAGE_RETRY_MS, type Outage, PROMETHEUS_UNAVAILABLE } from './outage';
import type { Recovery } from './use-metrics-outage';

const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/** Prometheus does not answer: what is wrong, since when, what stays on screen and that the page retries by itself. */
export function MetricsOutageBanner({ outage }: { outage: Outage }) {
  return (
    <div className={styles.outage}>
      <div className={banner.banner} data-testid={TestIds.metricsOutageBanner}>
        {/* The alert holds what does not change while the outage lasts, so it is announced once. */}
        <div role="alert">
          <p className={banner.title}>Prometheus is unreachable</p>
          <p className={banner.message}>
            Metrics cannot be read since {clock(outage.since)}: the API cannot reach its Prometheus. <code>{PROMETHEUS_UNAVAILABLE}</code>
          </p>
        </div>
        <p className={banner.detail} data-testid={TestIds.metricsOutageDetail}>
          {outage.lastDataAt !== null
            ? `The numbers below are the last ones received, at ${clock(outage.lastDataAt)}, greyed until Prometheus answers. `
            : 'No numbers arrived before it stopped answering. '}
          The dashboard asks again every {OUTAGE_RETRY_MS / 1000} s (last at {clock(outage.lastTriedAt)}) and updates by itself
          once Prometheus is back; there is no need to reload.
        </p>
      </div>
    </div>
  );
}

/** Said for a while after an outage, so whoever watched it knows the numbers are current again. */
export function MetricsRecoveredNotice({ recovery }: { recovery: Recovery }) {
  return (
    <p className={styles.recovered} role="status" data-testid={TestIds.metricsRecovered}>
      Prometheus answers again: metrics could not be read from {clock(recovery.from)} to {clock(recovery.to)}; the numbers
      are current.
    </p>
  );
}
