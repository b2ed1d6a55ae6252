import { ENDPOINTS } from '@meshviz/api-client';
import { queryOptions } from '@tanstack/react-query';
import { dashboardApi } from '../../lib/dashboard-api';
import { refreshMs } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/rollouts: every recorded rollout now (a custom time range does not apply to it). */
export function rolloutsQuery(view: ViewParams = DEFAULT_VIEW) {
  return queryOptions({
    queryKey: ['rollouts'] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.rollouts, {}, signal),
    refetchInterval: refreshMs(view.refresh),
    refetchIntervalInBackground: false,
    retry: retryUnreachable,
  });
}
