import { isGrpcResponse } from '../core/grpc-status.js';
import { callStage, type Stage } from '../core/stage.js';
import { toProxyError } from '../errors/proxy-error.js';
import { errorAnswer } from '../errors/respond.js';
import type { RouteTarget } from '../route/target.js';
import { classify } from './classify.js';
import type { OutboundSeries } from './outbound-series.js';
import { onOutcome } from './outcome.js';
import type { RouteSeries } from './route-series.js';

/**
 * Route metrics as the caller saw them, once per request whatever the retries: route_request_total,
 * route_response_total and route_response_latency_ms, and for outbound routes (`outbound`)
 * outbound_http_route_request_statuses_total. Sits above the retry stage (and the route's faults and timeouts).
 */
export function observeRoute(series: RouteSeries, next: Stage<RouteTarget>, outbound?: OutboundSeries): Stage<RouteTarget> {
  return (target, request) => {
    const entry = series.get(target.direction, target.dst, target.route.name);
    const policy = target.route.policy;
    const statuses = policy && outbound ? outbound.route(policy.ref) : undefined;
    entry.countRequest();
    statuses?.begin();
    return callStage(next, target, request).then(
      (response) => {
        const { status } = response;
        entry.observeLatency(status, performance.now() - request.receivedAt);
        const grpc = request.grpc && isGrpcResponse(response.headers);
        onOutcome(response, grpc, ({ error, grpcStatus }) => {
          entry.countResponse(status, classify(status, error, grpcStatus));
          statuses?.countStatus(status, error);
        });
        return response;
      },
      (thrown: unknown) => {
        const error = toProxyError(thrown);
        const { status } = errorAnswer(error.kind, request.grpc);
        if (status !== null) entry.observeLatency(status, performance.now() - request.receivedAt);
        entry.countResponse(status, 'failure');
        statuses?.countStatus(status, error.kind);
        throw error;
      },
    );
  };
}

/**
 * Route metrics per attempt on the wire (route_actual_*). Sits below the retry stage, so a request retried twice
 * counts three attempts here and one request in observeRoute.
 */
export function observeAttempt(series: RouteSeries, next: Stage<RouteTarget>): Stage<RouteTarget> {
  return (target, request) => {
    const entry = series.get(target.direction, target.dst, target.route.name);
    entry.countAttempt();
    return callStage(next, target, request).then(
      (response) => {
        const { status } = response;
        const grpc = request.grpc && isGrpcResponse(response.headers);
        onOutcome(response, grpc, ({ error, grpcStatus }) =>
          entry.countAttemptResponse(status, classify(status, error, grpcStatus)),
        );
        return response;
      },
      (thrown: unknown) => {
        const error = toProxyError(thrown);
        entry.countAttemptResponse(errorAnswer(error.kind, request.grpc).status, 'failure');
        throw error;
      },
    );
  };
}
