import { ENDPOINTS } from '@meshviz/api-client';
import type { RoutesQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, type RoutesSubject, statsAt, subjectParams, type ViewParams } from '../../lib/view-params';

/**
 * GET /api/v1/routes over the window: a workload's inbound routes (its own proxies' view), or a service's routes as
 * its callers saw them (effective and actual, retries included).
 */
export function routesQuery(subject: RoutesSubject, view: ViewParams = DEFAULT_VIEW) {
  const params = {
    ...subjectParams(subject),
    window: view.window,
    at: statsAt(view.time),
  } satisfies z.input<typeof RoutesQuery>;
  return queryOptions({
    queryKey: ['routes', params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.routes, { query: params }, signal),
    ...pollingOptions(view),
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
