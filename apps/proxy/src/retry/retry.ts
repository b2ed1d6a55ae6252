import type { ProxyErrorKind } from '@meshviz/mesh-types';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { toProxyError } from '../errors/proxy-error.js';
import type { RouteTarget } from '../route/target.js';
import { prepareReplay } from './replay.js';

/** Methods whose repetition does no harm (RFC 9110 §9.2.2), less TRACE and CONNECT which proxies do not retry. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Failures worth another attempt: the request never reached an application, or the connection died under it. */
const RETRYABLE_ERRORS = new Set<ProxyErrorKind>(['connect_refused', 'connect_error', 'connect_timeout', 'connection_reset']);

/**
 * Retry stage (outbound): a route with `retries: { limit }` sends a failed attempt (5xx, or a connection
 * failure) of an idempotent request again, up to the limit and within the route's retry budget. Upgrades and
 * `Expect: 100-continue` requests are never retried: their bodies are not the proxy's to replay. Each attempt
 * may be balanced to another endpoint.
 */
export function retry(next: Stage<RouteTarget>): Stage<RouteTarget> {
  return async (target, request) => {
    const { retryLimit, budget } = target.route;
    if (retryLimit === 0 || budget === undefined || !retryable(request)) return next(target, request);
    budget.deposit();
    const replay = await prepareReplay(request);
    if (!replay.replayable) return next(target, replay.attempt());

    for (let retries = 0; ; retries += 1) {
      const again = (): boolean => retries < retryLimit && !request.signal.aborted && budget.tryWithdraw();
      let response: ProxyResponse;
      try {
        response = await next(target, replay.attempt());
      } catch (thrown) {
        const error = toProxyError(thrown);
        if (!RETRYABLE_ERRORS.has(error.kind) || !again()) throw error;
        request.log.debug({ route: target.route.name, kind: error.kind, retry: retries + 1 }, 'retrying');
        continue;
      }
      if (response.status < 500 || !again()) return response;
      // Read the failed answer to its end, so its connection returns to the pool and the attempt is counted.
      response.body.resume();
      request.log.debug({ route: target.route.name, status: response.status, retry: retries + 1 }, 'retrying');
    }
  };
}

function retryable(request: ProxyRequest): boolean {
  return IDEMPOTENT.has(request.method) && request.upgrade === undefined && request.sendContinue === undefined;
}
