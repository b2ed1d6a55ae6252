import { ENDPOINTS } from '@meshviz/api-client';
import type { ServiceDetailQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, statsAt, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/services/<namespace>/<name>: the service as its callers saw it, its callers, backends and small graph. */
export function serviceDetailQuery(namespace: string, name: string, view: ViewParams = DEFAULT_VIEW) {
  const params = { window: view.window, at: statsAt(view.time) } satisfies z.input<typeof ServiceDetailQuery>;
  return queryOptions({
    queryKey: ['service-detail', namespace, name, params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.serviceDetail, { params: { namespace, name }, query: params }, signal),
    ...pollingOptions(view),
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
