import type { ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { errorAnswer } from '../errors/respond.js';
import type { OutboundSeries } from '../metrics/outbound-series.js';
import { onOutcome } from '../metrics/outcome.js';
import type { RouteTarget } from '../route/target.js';

/**
 * Split stage (outbound, per attempt): a route with backends sends each attempt to the backend its weighted split
 * picks next, and counts it there (outbound_http_route_backend_requests_total and, when the answer ends, the
 * backend response statuses). Any other target passes through.
 */
export function split(series: OutboundSeries, next: Stage<RouteTarget>): Stage<RouteTarget> {
  return async (target, request) => {
    const { backend, route } = target;
    if (backend.kind !== 'split' || !route.policy) return next(target, request);
    const chosen = backend.split.pick();
    if (!chosen) throw new ProxyError('no_endpoints', { destination: route.policy.service });
    const entry = series.route(route.policy.ref);
    entry.countBackend(chosen);
    let response: ProxyResponse;
    try {
      response = await next({ ...target, backend: chosen.balanced }, request);
    } catch (thrown) {
      const error = toProxyError(thrown);
      entry.countBackendStatus(chosen, errorAnswer(error.kind, request.grpc).status, error.kind);
      throw error;
    }
    onOutcome(response, false, ({ error }) => entry.countBackendStatus(chosen, response.status, error));
    return response;
  };
}
