'use client';

import { type Query, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { currentOutage, isPrometheusOutage, OUTAGE_RETRY_MS, type Outage, outageOver, type QueryHealth, RECOVERED_NOTICE_MS, sameOutage } from './outage';

/** An outage that has ended: from when to when the dashboard could not read metrics. */
export interface Recovery {
  from: number;
  to: number;
}

function health(query: Query): QueryHealth {
  const { state } = query;
  return {
    error: state.error,
    errorUpdatedAt: state.errorUpdatedAt,
    dataUpdatedAt: state.dataUpdatedAt,
    hasData: state.data !== undefined,
    status: state.status,
    fetching: state.fetchStatus === 'fetching',
  };
}

const failingForPrometheus = (query: Query) => query.state.status === 'error' && isPrometheusOutage(query.state.error);

/**
 * Whether Prometheus is unreachable, as the queries on screen (the active ones) learn it from the API: the outage
 * while it lasts, then its span for RECOVERED_NOTICE_MS once every one of them has its data again. While it lasts
 * the failing queries are asked again every OUTAGE_RETRY_MS (not from a hidden tab), so nothing needs a reload.
 */
export function useMetricsOutage(): { outage: Outage | null; recovery: Recovery | null } {
  const client = useQueryClient();
  const [outage, setOutage] = useState<Outage | null>(null);
  const [recovery, setRecovery] = useState<Recovery | null>(null);
  const shown = useRef<Outage | null>(null);

  useEffect(() => {
    const cache = client.getQueryCache();
    const update = () => {
      const active = cache.getAll().filter((q) => q.isActive()).map(health);
      const next = currentOutage(active, shown.current);
      if (sameOutage(next, shown.current)) return;
      // Another page's queries that have not answered yet do not end it (nor start a new one): only an answer does.
      if (next === null && shown.current && !outageOver(active, shown.current.since)) return;
      const ended = shown.current !== null && next === null;
      if (ended && shown.current) setRecovery({ from: shown.current.since, to: Date.now() });
      if (next !== null) setRecovery(null);
      shown.current = next;
      setOutage(next);
    };
    update();
    return cache.subscribe(update);
  }, [client]);

  const down = outage !== null;
  useEffect(() => {
    if (!down) return;
    const timer = setInterval(() => {
      if (document.hidden) return;
      // An ask already under way is left to finish (a Prometheus that hangs holds it up to the API's timeout).
      void client.refetchQueries({ type: 'active', predicate: failingForPrometheus }, { cancelRefetch: false });
    }, OUTAGE_RETRY_MS);
    return () => clearInterval(timer);
  }, [client, down]);

  useEffect(() => {
    if (recovery === null) return;
    const timer = setTimeout(() => setRecovery(null), RECOVERED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [recovery]);

  return { outage, recovery };
}
