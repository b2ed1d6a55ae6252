import { ENDPOINTS } from '@meshviz/api-client';
import type { WorkloadDetailQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, statsAt, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/workloads/<namespace>/<name>: the workload's numbers, neighbours, pods and small graph. */
export function workloadDetailQuery(namespace: string, name: string, view: ViewParams = DEFAULT_VIEW) {
  const params = { window: view.window, at: statsAt(view.time) } satisfies z.input<typeof WorkloadDetailQuery>;
  return queryOptions({
    queryKey: ['workload-detail', namespace, name, params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.workloadDetail, { params: { namespace, name }, query: params }, signal),
    ...pollingOptions(view),
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
