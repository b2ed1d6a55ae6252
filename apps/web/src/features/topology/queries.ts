import { ENDPOINTS } from '@meshviz/api-client';
import type { TopologyQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, statsAt, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/topology for one namespace (or "all") over the view's window. */
export function topologyQuery(namespace: string, view: ViewParams = DEFAULT_VIEW) {
  const params = { namespace, window: view.window, at: statsAt(view.time) } satisfies z.input<typeof TopologyQuery>;
  return queryOptions({
    queryKey: ['topology', params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.topology, { query: params }, signal),
    ...pollingOptions(view),
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
