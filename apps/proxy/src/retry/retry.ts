import type { ProxyErrorKind } from '@meshviz/mesh-types';
import { grpcStatusOf, isGrpcResponse } from '../core/grpc-status.js';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { toProxyError } from '../errors/proxy-error.js';
import { ERROR_RESPONSES } from '../errors/respond.js';
import type { OutboundRouteEntry, OutboundSeries } from '../metrics/outbound-series.js';
import type { RetryRule } from '../route/route-table.js';
import type { RouteTarget } from '../route/target.js';
import { peekEnd } from './peek.js';
import { prepareReplay } from './replay.js';

/** Methods whose repetition does no harm (RFC 9110 §9.2.2), less TRACE and CONNECT which proxies do not retry. */
export const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Failures where the request never left the proxy: always worth another attempt. */
const CONNECT_ERRORS = new Set<ProxyErrorKind>(['connect_refused', 'connect_error', 'connect_timeout']);

/**
 * Whether a failed attempt is worth another. A connection that could not be made, always. A connection lost before
 * the response head (the request went out and got no answer) when the rule retries the answer the caller would get
 * instead: 502 (a route retrying 5xx or gateway errors), or UNAVAILABLE for gRPC. A response timeout when the rule
 * retries timeouts.
 */
function worthRetrying(rule: RetryRule, request: ProxyRequest, kind: ProxyErrorKind): boolean {
  if (CONNECT_ERRORS.has(kind)) return true;
  if (kind === 'connection_reset') {
    const { status, grpcStatus } = ERROR_RESPONSES[kind];
    return (status !== null && rule.status(status)) || (request.grpc && grpcStatus !== null && rule.grpcCodes.has(grpcStatus));
  }
  return rule.timeouts && kind === 'response_timeout';
}

/**
 * Retry stage (outbound): a route with a retry rule sends a failed attempt again, up to its limit and within the
 * route's retry budget, each time balanced (and, with backends, split) afresh. Failed means a connection that could
 * not be made, one lost before response headers when the rule retries 502 (gRPC: UNAVAILABLE), an HTTP status the rule lists (route tables: any 5xx), a gRPC status it lists (from the
 * headers of a trailers-only answer, or the trailers of an answer that ends without a message), or, for outbound
 * routes, an attempt that timed out waiting for headers. Route tables retry only idempotent methods; outbound routes
 * any method. Bodies over 64 KiB, upgrades and `Expect: 100-continue` requests are sent once: their bodies are not
 * the proxy's to replay. A request whose deadline has passed (its signal aborted) is never sent again. Outbound
 * routes count retries sent, retried requests that ended without needing another, and retryable failures left
 * unretried at the limit or for want of budget.
 */
export function retry(series: OutboundSeries, next: Stage<RouteTarget>): Stage<RouteTarget> {
  return async (target, request) => {
    const { retry: rule, budget, policy } = target.route;
    if (rule === undefined || budget === undefined || !retryable(rule, request)) return next(target, request);
    budget.deposit();
    const replay = await prepareReplay(request);
    if (!replay.replayable) return next(target, replay.attempt());
    const metrics = policy ? series.route(policy.ref) : undefined;
    const triedEndpoints = new Set<string>();

    for (let retries = 0; ; retries += 1) {
      let response: ProxyResponse;
      try {
        response = await next(target, { ...replay.attempt(), triedEndpoints });
      } catch (thrown) {
        const error = toProxyError(thrown);
        if (!worthRetrying(rule, request, error.kind)) {
          if (retries > 0) metrics?.countRetry('successes');
          throw error;
        }
        if (!again(rule, retries, request, budget, metrics)) throw error;
        request.log.debug({ route: target.route.name, kind: error.kind, retry: retries + 1 }, 'retrying');
        continue;
      }
      if (!(await failed(rule, request, response))) {
        if (retries > 0) metrics?.countRetry('successes');
        return response;
      }
      if (!again(rule, retries, request, budget, metrics)) return response;
      // Read the failed answer to its end, so its connection returns to the pool and the attempt is counted.
      response.body.resume();
      request.log.debug({ route: target.route.name, status: response.status, retry: retries + 1 }, 'retrying');
    }
  };
}

/** Whether a retryable failure is sent again; counts why not (limit, budget) and each retry sent. */
function again(
  rule: RetryRule,
  retries: number,
  request: ProxyRequest,
  budget: { tryWithdraw(): boolean },
  metrics: OutboundRouteEntry | undefined,
): boolean {
  if (request.signal.aborted) return false;
  if (retries >= rule.limit) {
    metrics?.countRetry('limitExceeded');
    return false;
  }
  if (!budget.tryWithdraw()) {
    metrics?.countRetry('overflow');
    return false;
  }
  metrics?.countRetry('requests');
  return true;
}

/** Whether an answer is one the rule retries. May wait for a gRPC answer's trailers when it carries no message. */
async function failed(rule: RetryRule, request: ProxyRequest, response: ProxyResponse): Promise<boolean> {
  if (rule.status(response.status)) return true;
  if (rule.grpcCodes.size === 0 || !request.grpc || !isGrpcResponse(response.headers)) return false;
  let status = grpcStatusOf(response);
  if (status === undefined && !response.bodyless) {
    if ((await peekEnd(response.body)) !== 'ended') return false;
    status = grpcStatusOf(response);
  }
  return status !== undefined && rule.grpcCodes.has(status);
}

function retryable(rule: RetryRule, request: ProxyRequest): boolean {
  if (request.upgrade !== undefined || request.sendContinue !== undefined) return false;
  return !rule.idempotentOnly || IDEMPOTENT.has(request.method);
}
