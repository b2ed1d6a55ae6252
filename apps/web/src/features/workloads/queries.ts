import { StatsResponse, type StatsQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiRequestError, getJson } from '../../lib/api-request';

/** How often the table refreshes on its own (only while the tab is visible). */
export const WORKLOADS_REFRESH_MS = 5_000;
/** The rate window of every number on the page. */
export const WORKLOADS_WINDOW = '1m';

/** An answer from the API will not change by asking again at once; a lost connection might. */
function retryUnreachable(failureCount: number, error: Error): boolean {
  if (error instanceof ApiRequestError && error.status !== 0) return false;
  return failureCount < 2;
}

/** GET /api/v1/stats for deployments in one namespace (or "all"). */
export function workloadStatsQuery(namespace: string) {
  const params = { kind: 'deployment', namespace, window: WORKLOADS_WINDOW } satisfies z.input<typeof StatsQuery>;
  return queryOptions({
    queryKey: ['stats', params] as const,
    queryFn: ({ signal }) => getJson(`/api/v1/stats?${new URLSearchParams(params)}`, StatsResponse, signal),
    refetchInterval: WORKLOADS_REFRESH_MS,
    refetchIntervalInBackground: false,
    // Switching namespace keeps the old table up (dimmed) until the new one arrives.
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
