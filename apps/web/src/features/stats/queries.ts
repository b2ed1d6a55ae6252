import { ENDPOINTS } from '@meshviz/api-client';
import type { StatsQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, statsAt, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/stats for one kind of resource in one namespace (or "all"), over the view's window. */
export function statsQuery(kind: z.input<typeof StatsQuery>['kind'], namespace: string, view: ViewParams = DEFAULT_VIEW) {
  const params = {
    kind,
    namespace,
    window: view.window,
    at: statsAt(view.time),
  } satisfies z.input<typeof StatsQuery>;
  return queryOptions({
    queryKey: ['stats', params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.stats, { query: params }, signal),
    ...pollingOptions(view),
    // Switching namespace keeps the old table up (dimmed) until the new one arrives.
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}

/** Deployments in one namespace (or "all"). */
export function workloadStatsQuery(namespace: string, view: ViewParams = DEFAULT_VIEW) {
  return statsQuery('deployment', namespace, view);
}

/** Every namespace's golden metrics and meshed pod count (kind=namespace). */
export function namespaceStatsQuery(view: ViewParams = DEFAULT_VIEW) {
  return statsQuery('namespace', 'all', view);
}
