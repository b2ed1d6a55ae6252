import { ENDPOINTS } from '@meshviz/api-client';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { dashboardApi } from '../../lib/dashboard-api';
import { refreshMs } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, type ViewParams } from '../../lib/view-params';

/**
 * GET /api/v1/authz over the window: what a workload's proxies decided about its inbound requests, per server,
 * route and authorization, and who was refused. The API answers for the window ending now (it takes no `at`), so
 * this polls at the chosen interval even under a custom range, and never from a hidden tab.
 */
export function authzQuery(namespace: string, name: string, view: Pick<ViewParams, 'window' | 'refresh'> = DEFAULT_VIEW) {
  const params = { kind: 'deployment', namespace, name, window: view.window };
  return queryOptions({
    queryKey: ['authz', params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.authz, { query: params }, signal),
    refetchInterval: refreshMs(view.refresh),
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
