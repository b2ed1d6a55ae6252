import { ENDPOINTS } from '@meshviz/api-client';
import type { TimeseriesQuery } from '@meshviz/mesh-types';
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { dashboardApi } from '../../lib/dashboard-api';
import { pollingOptions } from '../../lib/polling';
import { retryUnreachable } from '../../lib/query-retry';
import { DEFAULT_VIEW, timeseriesRange, type ViewParams } from '../../lib/view-params';

/** Whose series: a workload's or a pod's inbound traffic, or one route of a workload ("" is unmatched traffic). */
export type TimeseriesTarget =
  | { kind: 'deployment' | 'pod'; namespace: string; name: string }
  | { kind: 'route'; namespace: string; name: string; route: string };

/** GET /api/v1/timeseries over the view's time range (relative ranges end now; absolute ones at `to`). */
export function timeseriesQuery(target: TimeseriesTarget, view: ViewParams = DEFAULT_VIEW) {
  const params = {
    kind: target.kind,
    namespace: target.namespace,
    name: target.name,
    route: target.kind === 'route' ? target.route : undefined,
    ...timeseriesRange(view.time),
  } satisfies z.input<typeof TimeseriesQuery>;
  return queryOptions({
    queryKey: ['timeseries', params] as const,
    queryFn: ({ signal }) => dashboardApi.get(ENDPOINTS.timeseries, { query: params }, signal),
    ...pollingOptions(view),
    // A new range or refresh keeps the old lines up until the new ones arrive.
    placeholderData: keepPreviousData,
    retry: retryUnreachable,
  });
}
