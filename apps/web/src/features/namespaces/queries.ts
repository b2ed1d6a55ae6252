import { statsQuery } from '../workloads/queries';
import { DEFAULT_VIEW, type ViewParams } from '../../lib/view-params';

/** GET /api/v1/stats?kind=namespace: every namespace's golden metrics and meshed pod count. */
export function namespaceStatsQuery(view: ViewParams = DEFAULT_VIEW) {
  return statsQuery('namespace', 'all', view);
}
