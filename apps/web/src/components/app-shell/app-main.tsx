'use client';

import type { ReactNode } from 'react';
import { MetricsOutageBanner, MetricsRecoveredNotice } from '../metrics-outage/metrics-outage-banner';
import { useMetricsOutage } from '../metrics-outage/use-metrics-outage';

/**
 * The page frame's main area: one Prometheus banner for every page that reads metrics, and the page's data marked
 * stale (`data-metrics-stale`, greyed in globals.css) while it lasts.
 */
export function AppMain({ children }: { children: ReactNode }) {
  const { outage, recovery } = useMetricsOutage();
  return (
    <main className="app-main" data-metrics-stale={outage ? 'true' : undefined}>
      {outage ? <MetricsOutageBanner outage={outage} /> : null}
      {recovery && !outage ? <MetricsRecoveredNotice recovery={recovery} /> : null}
      {children}
    </main>
  );
}
